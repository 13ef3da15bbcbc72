"""Secrecy and public access, the services: marking a case or an attachment
as secret and removing the mark, giving and withdrawing the right to read a
marked case, and the timeline entries of the releases and refusals of
copies that the records app makes. Each runs in one transaction and writes
its own timeline event (cases.timeline). Who may do what is decided in
cases.permissions; the screens are in the records app."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cases import provisions, timeline
from cases.models import AccessGrant, Attachment, Case, CaseEvent, SecrecyMark, SecrecyProvision


class SecrecyError(Exception):
    """A rule was broken, e.g. marking what is already marked. The message
    is for the person who tried."""


# ------------------------------------------------------------- secrecy marks


def _mark(
    *,
    case: Case,
    provision: SecrecyProvision,
    by: User | None,
    attachment: Attachment | None,
    review_on: date | None,
    automatic: bool,
    at: datetime | None = None,
) -> SecrecyMark:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if attachment is not None and attachment.case_id != case.pk:
        raise SecrecyError(_("The attachment does not belong to this case."))
    if SecrecyMark.objects.active().filter(case=case, attachment=attachment).exists():
        raise SecrecyError(_("It is already marked as secret."))
    mark = SecrecyMark.objects.create(
        case=case,
        attachment=attachment,
        provision=provision,
        marked_by=by,
        marked_at=at or timezone.now(),
        review_on=review_on,
        automatic=automatic,
    )
    if attachment is None:
        text = _("Marked as secret under %(provision)s.") % {"provision": provision.reference}
    else:
        text = _("An attachment was marked as secret under %(provision)s.") % {"provision": provision.reference}
    if review_on:
        text += " " + _("To be reviewed on %(date)s.") % {"date": review_on.isoformat()}
    payload: timeline.Payload
    if automatic:
        payload = timeline.ProtectedIdentity(provision=provision.code)
    else:
        payload = timeline.SecrecyMarked(provision=provision.code, attachment=attachment.pk if attachment else None)
    timeline.event_append(case=case, payload=payload, actor=by, text=text, at=at)
    return mark


@transaction.atomic
def secrecy_mark(
    *,
    case: Case,
    provision: SecrecyProvision,
    by: User,
    attachment: Attachment | None = None,
    review_on: date | None = None,
    at: datetime | None = None,
) -> SecrecyMark:
    """Mark a case, or one of its attachments, as secret under a provision."""
    return _mark(
        case=case, provision=provision, by=by, attachment=attachment, review_on=review_on, automatic=False, at=at
    )


@transaction.atomic
def secrecy_mark_protected(*, case: Case) -> SecrecyMark | None:
    """The automatic mark of a case from someone with protected personal
    data (cases.services.case_register). None when the case is already marked."""
    if SecrecyMark.objects.active().filter(case=case, attachment__isnull=True).exists():
        return None
    provision = SecrecyProvision.objects.filter(code=provisions.PROTECTED_IDENTITY).first()
    if provision is None:
        provisions.ensure_provisions()
        provision = SecrecyProvision.objects.get(code=provisions.PROTECTED_IDENTITY)
    return _mark(case=case, provision=provision, by=None, attachment=None, review_on=None, automatic=True)


@transaction.atomic
def secrecy_unmark(*, mark: SecrecyMark, by: User, reason: str) -> SecrecyMark:
    mark = SecrecyMark.objects.select_for_update().select_related("case", "provision").get(pk=mark.pk)
    if mark.removed_at is not None:
        raise SecrecyError(_("The mark has already been removed."))
    mark.removed_at = timezone.now()
    mark.removed_by = by
    mark.removal_reason = reason
    mark.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    if mark.attachment_id is None:
        text = _("The secrecy mark (%(provision)s) was removed: %(reason)s")
    else:
        text = _("The secrecy mark (%(provision)s) on an attachment was removed: %(reason)s")
    timeline.event_append(
        case=mark.case,
        payload=timeline.SecrecyRemoved(provision=mark.provision.code, attachment=mark.attachment_id),
        actor=by,
        text=text % {"provision": mark.provision.reference, "reason": reason},
    )
    return mark


# ------------------------------------------------------------- access grants


@transaction.atomic
def access_grant(*, case: Case, user: User, by: User, reason: str) -> AccessGrant:
    if AccessGrant.objects.filter(case=case, user=user, revoked_at__isnull=True).exists():
        raise SecrecyError(_("%(name)s already has the right to read the case.") % {"name": user.display_name})
    grant = AccessGrant.objects.create(case=case, user=user, reason=reason, granted_by=by, granted_at=timezone.now())
    timeline.event_append(
        case=case,
        payload=timeline.AccessGranted(user=user.pk),
        actor=by,
        text=_("%(name)s was given the right to read the case: %(reason)s")
        % {"name": user.display_name, "reason": reason},
    )
    return grant


@transaction.atomic
def access_revoke(*, grant: AccessGrant, by: User) -> AccessGrant:
    grant = AccessGrant.objects.select_for_update().select_related("case", "user").get(pk=grant.pk)
    if grant.revoked_at is not None:
        raise SecrecyError(_("The right has already been withdrawn."))
    grant.revoked_at = timezone.now()
    grant.revoked_by = by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    timeline.event_append(
        case=grant.case,
        payload=timeline.AccessRevoked(user=grant.user_id),
        actor=by,
        text=_("The right of %(name)s to read the case was withdrawn.") % {"name": grant.user.display_name},
    )
    return grant


# ------------------------------------------------------- releases, refusals


@transaction.atomic
def case_record_release(*, case: Case, by: User, recipient: str, redacted: bool, release_id: int) -> CaseEvent:
    """A copy of the case was given out (records.services.release_record)."""
    if recipient:
        text = _("A copy was released to %(recipient)s.") % {"recipient": recipient}
    else:
        text = _("A copy was released to a requester who stayed anonymous.")
    if redacted:
        text += " " + _("Parts were redacted.")
    return timeline.event_append(case=case, payload=timeline.Released(release=release_id), actor=by, text=text)


@transaction.atomic
def case_record_refusal(
    *, case: Case, by: User, provision: SecrecyProvision, reason: str, refusal_id: int
) -> CaseEvent:
    """A request for a copy was refused (records.services.refusal_record)."""
    return timeline.event_append(
        case=case,
        payload=timeline.Refused(refusal=refusal_id),
        actor=by,
        text=_("A request for a copy was refused under %(provision)s: %(reason)s")
        % {"provision": provision.reference, "reason": reason},
    )


# ------------------------------------------------------------------ disposal


def secrecy_scrub(*, case: Case) -> None:
    """For disposal, inside its transaction: the reasons for a grant or for
    removing a mark may name people; the facts (when, by whom, which
    provision) stay."""
    AccessGrant.objects.filter(case=case).update(reason=timeline.DISPOSED_TEXT)
    SecrecyMark.objects.filter(case=case).exclude(removal_reason="").update(removal_reason=timeline.DISPOSED_TEXT)
