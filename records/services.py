"""Every change in records: the access log, releases and refusals. Each
runs in one transaction. A release or refusal appends its timeline event
through the case domain (cases.secrecy); secrecy marks and access grants are
the domain's too (cases.secrecy)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from cases import secrecy
from cases.models import Attachment, Case, SecrecyProvision
from cases.timeline import DISPOSED_TEXT
from records.models import AccessLogEntry, AccessLogHead, Refusal, Release

# ----------------------------------------------------------------- the log


# One statement appends a row: it takes the chain's head (locked on
# PostgreSQL; SQLite runs one writing statement at a time), computes the new
# row's hash from the head's in SQL (sha256 of "prev_hash|payload", the
# payload exactly as AccessLogEntry.payload() writes it, its seq filled in
# from the head), inserts the row and moves the head. So appends take turns
# and the chain stays linear without a transaction of their own. On SQLite the
# head is moved by a trigger (migration 0003); on PostgreSQL in the statement.
_HASH_SQL = {
    "postgresql": "encode(sha256(convert_to(h.hash || '|' || %s || (h.seq + 1)::text || %s, 'UTF8')), 'hex')",
    "sqlite": "SHA256(h.hash || '|' || %s || (h.seq + 1) || %s)",
}


def _append_sql(vendor: str) -> str:
    entry = AccessLogEntry._meta.db_table
    head = AccessLogHead._meta.db_table
    columns = "seq, at, user_id, case_id, case_number, kind, attachment_id, prev_hash, hash"
    values = "%s, %s, %s, %s, %s, %s"
    if vendor == "postgresql":
        return f"""
            WITH h AS (SELECT seq, hash FROM {head} WHERE id = 1 FOR UPDATE),
            new AS (SELECT h.seq + 1 AS seq, h.hash AS prev_hash, {_HASH_SQL[vendor]} AS hash FROM h),
            moved AS (UPDATE {head} SET seq = new.seq, hash = new.hash FROM new WHERE {head}.id = 1)
            INSERT INTO {entry} ({columns})
            SELECT new.seq, {values}, new.prev_hash, new.hash FROM new
            RETURNING id, seq, prev_hash, hash
        """
    return f"""
        INSERT INTO {entry} ({columns})
        SELECT h.seq + 1, {values}, h.hash, {_HASH_SQL[vendor]} FROM {head} h WHERE h.id = 1
        RETURNING id, seq, prev_hash, hash
    """


def access_log_append(
    *, user: User | None, case: Case, kind: str, attachment: Attachment | None = None
) -> AccessLogEntry:
    """Append one row to the access log: every row's prev_hash is the hash
    of the row before it, also under parallel appends."""
    entry = AccessLogEntry(
        at=timezone.now(),
        user=user,
        case=case,
        case_number=case.number,
        kind=kind,
        attachment=attachment,
    )
    before, after = entry.payload_around_seq()
    at = connection.ops.adapt_datetimefield_value(entry.at)
    values = [at, entry.user_id, entry.case_id, entry.case_number, entry.kind, entry.attachment_id]
    params = [before, after, *values] if connection.vendor == "postgresql" else [*values, before, after]
    sql = _append_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:  # the first row ever: the chain has no head yet
            AccessLogHead.objects.bulk_create([AccessLogHead(id=1)], ignore_conflicts=True)
            cursor.execute(sql, params)
            row = cursor.fetchone()
    entry.pk, entry.seq, entry.prev_hash, entry.hash = row
    entry._state.adding = False
    entry._state.db = connection.alias
    return entry


def access_log_on_read(
    *, user: User, case: Case, attachment: Attachment | None = None, **kwargs: Any
) -> AccessLogEntry:
    """The receiver of cases.hooks.case_read (connected in RecordsConfig.ready):
    every showing of a case's content and every attachment download is one row."""
    kind = AccessLogEntry.Kind.CONTENT if attachment is None else AccessLogEntry.Kind.ATTACHMENT
    return access_log_append(user=user, case=case, kind=kind, attachment=attachment)


# ------------------------------------------------------- releases, refusals


@transaction.atomic
def release_record(*, case: Case, by: User, recipient: str, redact: list[str], pdf: bytes) -> Release:
    """Record that a copy was given out: the release, an access-log row
    (kind copy) and a timeline event. The PDF is made by records.pdf."""
    release = Release.objects.create(
        case=case,
        released_by=by,
        released_at=timezone.now(),
        recipient=recipient,
        redacted=sorted(redact),
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    access_log_append(user=by, case=case, kind=AccessLogEntry.Kind.COPY)
    secrecy.case_record_release(case=case, by=by, recipient=recipient, redacted=bool(redact), release_id=release.pk)
    return release


@transaction.atomic
def refusal_record(*, case: Case, by: User, requester: str, provision: SecrecyProvision, reason: str) -> Refusal:
    refusal = Refusal.objects.create(
        case=case, refused_by=by, refused_at=timezone.now(), requester=requester, provision=provision, reason=reason
    )
    secrecy.case_record_refusal(case=case, by=by, provision=provision, reason=reason, refusal_id=refusal.pk)
    return refusal


def records_scrub(*, case: Case) -> None:
    """For disposal (retention), inside its transaction: requests for the
    record name their requesters, and the reason for a refusal may name
    people; the facts (when, by whom, which provision) stay."""
    Release.objects.filter(case=case).update(recipient="")
    Refusal.objects.filter(case=case).update(requester="", reason=DISPOSED_TEXT)


# --------------------------------------------------------------- verifying


def access_log_verify(*, chunk_size: int = 2000) -> tuple[int, str | None]:
    """Walk the chain. Returns (rows checked, None) when it is whole, or
    (rows checked, a description of the first bad row)."""
    expected_prev = AccessLogHead._meta.get_field("hash").default
    expected_seq = 1
    checked = 0
    for entry in AccessLogEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if entry.seq != expected_seq:
            return checked, f"row {expected_seq} is missing (the next row is {entry.seq}, id {entry.pk})"
        if entry.prev_hash != expected_prev:
            return checked, f"row {entry.seq} (id {entry.pk}) does not follow the row before it"
        if entry.compute_hash() != entry.hash:
            return checked, f"row {entry.seq} (id {entry.pk}) was changed after it was written"
        expected_prev = entry.hash
        expected_seq += 1
        checked += 1
    head = AccessLogHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != expected_prev):
        return checked, f"row {expected_seq} is missing (the log ends at {expected_seq - 1}, its head says {head.seq})"
    return checked, None
