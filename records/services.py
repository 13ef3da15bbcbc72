"""Every change in records: marking and unmarking, access grants, the access
log, releases and refusals. Each runs in one transaction. Marking, grants,
releases and refusals also write an internal timeline event on the case
(kind NOTE, with data {"records": ...}; the cases app has no kinds of its
own for them)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Attachment, Case, CaseEvent
from records import provisions
from records.models import (
    AccessGrant,
    AccessLogEntry,
    AccessLogHead,
    Refusal,
    Release,
    SecrecyMark,
    SecrecyProvision,
)


class RecordsError(Exception):
    """A rule was broken, e.g. marking what is already marked. The message
    is for the person who tried."""


def _event(case: Case, *, by, text: str, **data) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.NOTE, actor=by, text=text, data=data, created_at=timezone.now()
    )


# ------------------------------------------------------------- secrecy marks


@transaction.atomic
def secrecy_mark(
    *,
    case: Case,
    provision: SecrecyProvision,
    by,
    attachment: Attachment | None = None,
    review_on: date | None = None,
    automatic: bool = False,
) -> SecrecyMark:
    """Mark a case, or one of its attachments, as secret under a provision."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if attachment is not None and attachment.case_id != case.pk:
        raise RecordsError(_("The attachment does not belong to this case."))
    if SecrecyMark.objects.active().filter(case=case, attachment=attachment).exists():
        raise RecordsError(_("It is already marked as secret."))
    mark = SecrecyMark.objects.create(
        case=case,
        attachment=attachment,
        provision=provision,
        marked_by=by,
        marked_at=timezone.now(),
        review_on=review_on,
        automatic=automatic,
    )
    if attachment is None:
        text = _("Marked as secret under %(provision)s.") % {"provision": provision.reference}
    else:
        text = _("An attachment was marked as secret under %(provision)s.") % {"provision": provision.reference}
    if review_on:
        text += " " + _("To be reviewed on %(date)s.") % {"date": review_on.isoformat()}
    _event(
        case,
        by=by,
        text=text,
        records="secrecy_marked",
        provision=provision.code,
        attachment=attachment.pk if attachment else None,
        automatic=automatic,
    )
    return mark


def secrecy_mark_protected(*, case: Case) -> SecrecyMark | None:
    """The automatic mark of a case from someone with protected personal data."""
    if SecrecyMark.objects.active().filter(case=case, attachment__isnull=True).exists():
        return None
    provision = SecrecyProvision.objects.filter(code=provisions.PROTECTED_IDENTITY).first()
    if provision is None:
        provisions.ensure_provisions()
        provision = SecrecyProvision.objects.get(code=provisions.PROTECTED_IDENTITY)
    return secrecy_mark(case=case, provision=provision, by=None, automatic=True)


@transaction.atomic
def secrecy_unmark(*, mark: SecrecyMark, by, reason: str) -> SecrecyMark:
    mark = SecrecyMark.objects.select_for_update().select_related("case", "provision").get(pk=mark.pk)
    if mark.removed_at is not None:
        raise RecordsError(_("The mark has already been removed."))
    mark.removed_at = timezone.now()
    mark.removed_by = by
    mark.removal_reason = reason
    mark.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    if mark.attachment_id is None:
        text = _("The secrecy mark (%(provision)s) was removed: %(reason)s")
    else:
        text = _("The secrecy mark (%(provision)s) on an attachment was removed: %(reason)s")
    _event(
        mark.case,
        by=by,
        text=text % {"provision": mark.provision.reference, "reason": reason},
        records="secrecy_removed",
        provision=mark.provision.code,
        attachment=mark.attachment_id,
    )
    return mark


# ------------------------------------------------------------- access grants


@transaction.atomic
def access_grant(*, case: Case, user, by, reason: str) -> AccessGrant:
    if AccessGrant.objects.filter(case=case, user=user, revoked_at__isnull=True).exists():
        raise RecordsError(_("%(name)s already has the right to read the case.") % {"name": user.display_name})
    grant = AccessGrant.objects.create(case=case, user=user, reason=reason, granted_by=by, granted_at=timezone.now())
    _event(
        case,
        by=by,
        text=_("%(name)s was given the right to read the case: %(reason)s")
        % {"name": user.display_name, "reason": reason},
        records="access_granted",
        user=user.pk,
    )
    return grant


@transaction.atomic
def access_revoke(*, grant: AccessGrant, by) -> AccessGrant:
    grant = AccessGrant.objects.select_for_update().select_related("case", "user").get(pk=grant.pk)
    if grant.revoked_at is not None:
        raise RecordsError(_("The right has already been withdrawn."))
    grant.revoked_at = timezone.now()
    grant.revoked_by = by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    _event(
        grant.case,
        by=by,
        text=_("The right of %(name)s to read the case was withdrawn.") % {"name": grant.user.display_name},
        records="access_revoked",
        user=grant.user_id,
    )
    return grant


# ----------------------------------------------------------------- the log


@transaction.atomic
def access_log_append(*, user, case: Case, kind: str, attachment: Attachment | None = None) -> AccessLogEntry:
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


# ------------------------------------------------------- releases, refusals


@transaction.atomic
def release_record(*, case: Case, by, recipient: str, redact: list[str], pdf: bytes) -> Release:
    """Record that a copy was given out: the release, an access-log row
    (kind copy) and a timeline note. The PDF is made by records.pdf."""
    import hashlib

    release = Release.objects.create(
        case=case,
        released_by=by,
        released_at=timezone.now(),
        recipient=recipient,
        redacted=sorted(redact),
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    access_log_append(user=by, case=case, kind=AccessLogEntry.Kind.COPY)
    if recipient:
        text = _("A copy was released to %(recipient)s.") % {"recipient": recipient}
    else:
        text = _("A copy was released to a requester who stayed anonymous.")
    if redact:
        text += " " + _("Parts were redacted.")
    _event(case, by=by, text=text, records="released", release=release.pk)
    return release


@transaction.atomic
def refusal_record(*, case: Case, by, requester: str, provision: SecrecyProvision, reason: str) -> Refusal:
    refusal = Refusal.objects.create(
        case=case, refused_by=by, refused_at=timezone.now(), requester=requester, provision=provision, reason=reason
    )
    _event(
        case,
        by=by,
        text=_("A request for a copy was refused under %(provision)s: %(reason)s")
        % {"provision": provision.reference, "reason": reason},
        records="refused",
        refusal=refusal.pk,
    )
    return refusal


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
