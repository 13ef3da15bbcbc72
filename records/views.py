"""The records pages of a case: secrecy marks and the right to read, the
access log, and the copy for release with refusals. Each view checks
permission (cases.permissions) and input, calls one service (cases.secrecy
for marks and grants, records.services for copies) and redirects."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import permissions
from cases import secrecy as case_secrecy
from cases.models import AccessGrant, SecrecyMark
from cases.views.access import staff_view
from records import pdf, selectors, services
from records.forms import CASE_TARGET, GrantForm, MarkForm, RefusalForm, ReleaseForm, UnmarkForm

LOG_PAGE_SIZE = 50


# ------------------------------------------------------------------ secrecy


def _mark_targets(user, case) -> list[tuple[str, str]]:
    """The whole case (when not yet marked) and each visible attachment not yet marked."""
    targets = []
    if not permissions.is_marked(case):
        targets.append((CASE_TARGET, _("The whole case")))
    for attachment in case.attachments.all():
        attachment.case = case
        if permissions.can_see_attachment(user, attachment) and not permissions.is_attachment_marked(attachment):
            targets.append(
                (str(attachment.public_id), _("Only the attachment %(name)s") % {"name": attachment.original_name})
            )
    return targets


def _secrecy_page(request, case, *, bound: dict | None = None, status: int = 200):
    user = request.user
    bound = bound or {}
    can_mark = permissions.can_mark(user, case)
    can_manage = permissions.can_manage_secrecy(user, case)
    if not (can_mark or can_manage):
        raise PermissionDenied
    targets = _mark_targets(user, case) if can_mark else []
    marks = selectors.active_marks(case)
    visible_attachments = set()  # marks whose attachment's name the user may read
    for mark in marks:
        if mark.attachment is not None:
            mark.attachment.case = case
            if permissions.can_see_attachment(user, mark.attachment):
                visible_attachments.add(mark.pk)
    return render(
        request,
        "records/secrecy.html",
        {
            "case": case,
            "marks": marks,
            "visible_attachments": visible_attachments,
            "grants": selectors.active_grants(case) if can_manage else [],
            "mark_form": bound.get("mark") or (MarkForm(targets=targets, prefix="mark") if targets else None),
            "unmark_form": bound.get("unmark") or UnmarkForm(prefix="unmark"),
            "unmark_id": bound.get("unmark_id"),
            "grant_form": bound.get("grant") or GrantForm(prefix="grant"),
            "can_mark": can_mark,
            "can_manage": can_manage,
            "has_errors": bool(bound),
        },
        status=status,
    )


@staff_view
def secrecy(request, number):
    case = selectors.case_for_records(user=request.user, number=number)
    return _secrecy_page(request, case)


@require_POST
@staff_view
def mark(request, number):
    case = selectors.case_for_records(user=request.user, number=number)
    if not permissions.can_mark(request.user, case):
        raise PermissionDenied
    form = MarkForm(request.POST, targets=_mark_targets(request.user, case), prefix="mark")
    if not form.is_valid():
        return _secrecy_page(request, case, bound={"mark": form}, status=400)
    target = form.cleaned_data["target"]
    attachment = None if target == CASE_TARGET else get_object_or_404(case.attachments, public_id=target)
    try:
        case_secrecy.secrecy_mark(
            case=case,
            attachment=attachment,
            provision=form.cleaned_data["provision"],
            review_on=form.cleaned_data["review_on"],
            by=request.user,
        )
    except case_secrecy.SecrecyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The secrecy mark was saved."))
    return redirect("records:secrecy", number=case.number)


@require_POST
@staff_view
def unmark(request, number, mark_id):
    case = selectors.case_for_records(user=request.user, number=number)
    if not permissions.can_manage_secrecy(request.user, case):
        raise PermissionDenied
    mark = get_object_or_404(SecrecyMark.objects.active(), pk=mark_id, case=case)
    form = UnmarkForm(request.POST, prefix="unmark")
    if not form.is_valid():
        return _secrecy_page(request, case, bound={"unmark": form, "unmark_id": mark.pk}, status=400)
    case_secrecy.secrecy_unmark(mark=mark, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("The secrecy mark was removed."))
    return redirect("records:secrecy", number=case.number)


@require_POST
@staff_view
def grant(request, number):
    case = selectors.case_for_records(user=request.user, number=number)
    if not permissions.can_manage_secrecy(request.user, case):
        raise PermissionDenied
    form = GrantForm(request.POST, prefix="grant")
    if not form.is_valid():
        return _secrecy_page(request, case, bound={"grant": form}, status=400)
    try:
        case_secrecy.access_grant(case=case, user=form.user, by=request.user, reason=form.cleaned_data["reason"])
    except case_secrecy.SecrecyError as error:
        form.add_error("email", str(error))
        return _secrecy_page(request, case, bound={"grant": form}, status=400)
    messages.success(request, _("%(name)s can now read the case.") % {"name": form.user.display_name})
    return redirect("records:secrecy", number=case.number)


@require_POST
@staff_view
def revoke(request, number, grant_id):
    case = selectors.case_for_records(user=request.user, number=number)
    if not permissions.can_manage_secrecy(request.user, case):
        raise PermissionDenied
    access = get_object_or_404(AccessGrant, pk=grant_id, case=case, revoked_at__isnull=True)
    case_secrecy.access_revoke(grant=access, by=request.user)
    messages.success(request, _("The right to read the case was withdrawn."))
    return redirect("records:secrecy", number=case.number)


# --------------------------------------------------------------- access log


@staff_view
def access_log(request, number):
    case = selectors.case_for_records(user=request.user, number=number)
    if not permissions.can_read_access_log(request.user, case):
        raise PermissionDenied
    page = Paginator(selectors.access_log_of(case), LOG_PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(request, "records/access_log.html", {"case": case, "page": page})


# ------------------------------------------------------------------ release


def _parts(case):
    case_provision, by_attachment = selectors.provisions_of(case)
    return pdf.parts_of(case, case_provision=case_provision, attachment_provisions=by_attachment)


def _release_page(request, case, *, release_form=None, refusal_form=None, status=200):
    return render(
        request,
        "records/release.html",
        {
            "case": case,
            "form": release_form or ReleaseForm(parts=_parts(case), prefix="release"),
            "refusal_form": refusal_form or RefusalForm(prefix="refusal"),
            "releases": selectors.releases_of(case),
            "refusals": selectors.refusals_of(case),
            "has_errors": status == 400,
        },
        status=status,
    )


@staff_view
def release(request, number):
    case = selectors.case_for_records(user=request.user, number=number)
    if not permissions.can_release(request.user, case):
        raise PermissionDenied
    if request.method != "POST":
        return _release_page(request, case)
    parts = _parts(case)
    form = ReleaseForm(request.POST, parts=parts, prefix="release")
    if not form.is_valid():
        return _release_page(request, case, release_form=form, status=400)
    redact = set(form.cleaned_data["redact"])
    document = pdf.build(case, redact=redact, parts=parts)
    services.release_record(
        case=case, by=request.user, recipient=form.cleaned_data["recipient"], redact=sorted(redact), pdf=document
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kopia-{case.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@staff_view
def refusal(request, number):
    case = selectors.case_for_records(user=request.user, number=number)
    if not permissions.can_release(request.user, case):
        raise PermissionDenied
    form = RefusalForm(request.POST, prefix="refusal")
    if not form.is_valid():
        return _release_page(request, case, refusal_form=form, status=400)
    services.refusal_record(
        case=case,
        by=request.user,
        requester=form.cleaned_data["requester"],
        provision=form.cleaned_data["provision"],
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("The refusal was recorded."))
    return redirect("records:release", number=case.number)
