import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cases import improvements as improvement_items
from cases import services, tracking
from cases.models import Case
from portal import ratelimit, selectors
from portal.forms import KINDS, IntakeForm, KindForm
from portal.models import Page
from portal.receipts import receipts_of, receipts_store

log = logging.getLogger(__name__)


def clock(moment: datetime) -> str:
    """The local time, rounded up to the minute, as people say it ("14.05")."""
    local = timezone.localtime(moment)
    if local.second or local.microsecond:
        local += timedelta(minutes=1)
    return _("%(hour)s:%(minute)s") % {"hour": f"{local:%H}", "minute": f"{local:%M}"}


def _rate_limited_text(verdict: ratelimit.Verdict) -> str:
    """The form-wide error when a limit is reached: why, when sending works
    again, and the phone number as the way out now."""
    if verdict.scope == ratelimit.Scope.ADDRESS:
        why = _(
            "Many cases have been sent from this connection (for example a school or library network) in a short time."
        )
    else:
        why = _("You have sent many cases in a short time.")
    when = _("You can send again at %(time)s.") % {"time": clock(verdict.retry_at or timezone.now())}
    if settings.KONTAKT_PHONE:
        call = _("If it cannot wait, call the municipality on %(phone)s.") % {"phone": settings.KONTAKT_PHONE}
    else:
        call = _("If it cannot wait, call the municipality's switchboard.")
    return " ".join([why, when, call, _("What you wrote is still here.")])


def _citizen(request):
    user = request.user
    return user if user.is_authenticated and getattr(user, "is_citizen", False) else None


def start(request):
    return render(
        request,
        "portal/start.html",
        {
            "response_working_days": settings.KONTAKT_RESPONSE_WORKING_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
def choose_kind(request):
    form = KindForm(request.POST if request.method == "POST" else None, initial={"kind": request.GET.get("typ")})
    if request.method == "POST" and form.is_valid():
        return redirect("portal:intake", kind=form.cleaned_data["kind"])
    return render(request, "portal/choose_kind.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def intake(request, kind):
    intake_kind = KINDS.get(kind)
    if intake_kind is None:
        raise Http404
    citizen = _citizen(request)
    if request.method != "POST":
        initial = {}
        if citizen is not None:
            initial = {"name": citizen.get_full_name(), "email": citizen.email}
        form = IntakeForm(intake_kind=intake_kind, citizen=citizen, initial=initial)
        return render(request, "portal/intake.html", {"form": form, "intake_kind": intake_kind, "citizen": citizen})
    form = IntakeForm(request.POST, request.FILES, intake_kind=intake_kind, citizen=citizen)
    # The browser's receipts and the id its submissions are counted by; a
    # counted submission sends them back, so a new id sticks.
    receipts = receipts_of(request)
    if form.honeypot_filled():
        # A program filled the hidden field: it gets a neutral page and
        # no case is registered. See docs/portal.md.
        ratelimit.submission_take(request)
        log.info("portal: honeypot filled, nothing registered")
        response = render(request, "portal/neutral.html")
        receipts_store(response, receipts)
        return response
    counted = False
    if form.is_valid():
        # The limit is counted (and committed) before the case is
        # registered: a case is only ever registered for a submission the
        # limit let through, and nothing after case_register's commit
        # can fail on the limit and show an error for a registered case.
        verdict = ratelimit.submission_take(request)
        counted = True
        if verdict.allowed:
            case = services.case_register(
                **form.case_data(), channel=Case.Channel.WEB, citizen=citizen, language=get_language() or "sv"
            )
            # Only this browser may see the receipt (portal/receipts.py): a
            # shared or guessed receipt address shows nothing.
            response = redirect("portal:receipt", public_id=case.public_id)
            receipts_store(response, receipts.adding(case.public_id, case.tracking_token))
            return response
        form.add_error(None, _rate_limited_text(verdict))
    form.mark_files_lost(request.FILES)
    response = render(request, "portal/intake.html", {"form": form, "intake_kind": intake_kind, "citizen": citizen})
    if counted:
        receipts_store(response, receipts)
    return response


@never_cache
def receipt(request, public_id):
    case = None
    receipts = receipts_of(request)
    if receipts.shows(public_id):
        case = selectors.case_for_receipt(public_id)
    if case is None:
        return render(request, "portal/receipt_unavailable.html", status=404)
    contact = getattr(case, "contact", None)
    # The tracking link, while it is the case's link (not revoked or replaced).
    token = receipts.token_of(public_id)
    return render(
        request,
        "portal/receipt.html",
        {
            "case": case,
            "contact": contact,
            "signed_in": case.citizen_id is not None,
            "tracking_url": tracking.tracking_url(case, token) if tracking.shows_token(case, token) else "",
        },
    )


def page(request, slug):
    page = get_object_or_404(Page, slug=slug)
    title, body = page.localized()
    return render(request, "portal/page.html", {"page": page, "title": title, "body": body})


def improvements(request):
    """ "Du sa – vi gjorde": the improvements made after what people told
    the municipality, as published by the units (public texts, no personal
    data)."""
    return render(request, "portal/improvements.html", {"items": list(improvement_items.improvements_published())})
