"""The tracking link's page, /folj/<case number>/<token>/ (cases.tracking
keeps the link): how a sender who was not signed in follows their case, and
where they answer a question from the case officer.

It shows the case number and type, when it was received, the due date, the
status, the answers and how the case ended; never the sender's text or
contact details. A secret case or a protected sender's shows only the
status and a pointer to Mina sidor. The token is the key, so: every request
is counted per client address and refused over the limit (429); a token
that is unknown, revoked, replaced or of another case answers the same
plain 404 page; the page is never cached or indexed and sends no Referer
(Referrer-Policy: no-referrer), so its address never reaches another site.

The reply form is exempt from the CSRF check: under no-referrer browsers
send "Origin: null" with a form, which the check refuses, and the check is
not needed here, because a page on another site cannot post to an address
whose token it does not know (the token is the proof a CSRF token would
be). There is no session or sign-in to ride on."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cases import notices, services, tracking
from cases.models import Case, Contact
from portal import ratelimit, selectors
from portal.tracking_forms import ReplyForm
from portal.views import clock

PRIVATE_HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer"}


def _private(response: HttpResponse) -> HttpResponse:
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def _contact(case: Case) -> Contact | None:
    try:
        return case.contact
    except Contact.DoesNotExist:
        return None


def _page(request: HttpRequest, case: Case, form: ReplyForm | None, *, status: int = 200) -> HttpResponse:
    neutral = notices.case_is_neutral(case=case, contact=_contact(case))
    context: dict[str, object] = {"case": case, "status": selectors.status_in_words(case), "neutral": neutral}
    if not neutral:
        context.update(
            {
                "answers": selectors.citizen_answers(case),
                "timeline": selectors.citizen_timeline(case),
                "question": selectors.open_question(case),
                "not_handled_text": selectors.not_handled_text(case),
                "form": form,
            }
        )
    return _private(render(request, "portal/tracking/page.html", context, status=status))


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def tracking_page(request: HttpRequest, number: str, token: str) -> HttpResponse:
    verdict = ratelimit.tracking_take(request)
    if not verdict.allowed:
        retry = clock(verdict.retry_at) if verdict.retry_at else ""
        return _private(render(request, "portal/tracking/limited.html", {"retry": retry}, status=429))
    case = tracking.case_by_tracking_token(number=number, token=token)
    if case is None:
        return _private(render(request, "portal/tracking/unavailable.html", status=404))
    neutral = notices.case_is_neutral(case=case, contact=_contact(case))
    can_reply = case.is_awaiting_sender and not neutral
    if request.method != "POST":
        return _page(request, case, ReplyForm() if can_reply else None)
    if not can_reply:
        messages.info(request, _("There is no question to answer now, so nothing was saved."))
        return _private(redirect(request.path))
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _page(request, case, form, status=400)
    try:
        services.case_add_citizen_message(case=case, text=form.cleaned_data["text"], citizen=None, via="tracking")
    except services.CaseError as error:
        form.add_error(None, str(error))
        return _page(request, case, form, status=400)
    messages.success(request, _("Thank you. Your reply has been sent and is now part of your case."))
    return _private(redirect(request.path))
