"""Every change in records: the access log, releases and refusals. Each
runs in one transaction. A release or refusal appends its timeline event
through the case domain (cases.secrecy); secrecy marks and access grants are
the domain's too (cases.secrecy)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases import secrecy
from cases.models import Attachment, Case, SecrecyProvision
from cases.timeline import DISPOSED_TEXT
from records.models import AccessLogEntry, AccessLogHead, Refusal, Release

# ----------------------------------------------------------------- the log


@transaction.atomic
def access_log_append(
    *, user: User | None, case: Case, kind: str, attachment: Attachment | None = None
) -> AccessLogEntry:
    """Append one row to the access log. The chain's head row is locked for
    the rest of the transaction, so appends take turns: every row's
    prev_hash is the hash of the row before it."""
    head = AccessLogHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # the first row ever
        AccessLogHead.objects.bulk_create([AccessLogHead(id=1)], ignore_conflicts=True)
        head = AccessLogHead.objects.select_for_update().get(pk=1)
    entry = AccessLogEntry(
        seq=head.seq + 1,
        at=timezone.now(),
        user=user,
        case=case,
        case_number=case.number,
        kind=kind,
        attachment=attachment,
        prev_hash=head.hash,
    )
    entry.hash = entry.compute_hash()
    entry.save(force_insert=True)
    AccessLogHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)
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
