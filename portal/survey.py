"""The satisfaction survey's pages (cases.surveys decides who is asked and
keeps the answers).

The link in the closing notice opens /enkat/<case number>/<token>/ without
signing in: the token is the key, so the page is not indexed, its address
is never sent to other sites, it is never cached, and a token that is unknown, of another case,
used or expired answers a plain page that changes nothing. A signed-in
sender answers the same form on Mina sidor, where the session says who they
are."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from cases import surveys
from cases.models import Case
from portal import selectors
from portal.mina_sidor import citizen_required
from portal.survey_forms import SurveyForm

# A page that a link's token opens is never indexed, and its address (with
# the token) never leaves the site in a Referer: same-origin, the site's
# policy, said here again so it holds whatever the site's becomes. Not
# no-referrer: browsers then send "Origin: null" with the form, which the
# CSRF check refuses.
PRIVATE_HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "same-origin"}

# The page for each way a survey cannot be answered, and its status.
CLOSED_PAGES = {
    surveys.Found.INVALID: 404,
    surveys.Found.ANSWERED: 410,
    surveys.Found.EXPIRED: 410,
}


def _private(response: HttpResponse) -> HttpResponse:
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def _closed(request: HttpRequest, found: surveys.Found) -> HttpResponse:
    return _private(
        render(
            request,
            "portal/survey/closed.html",
            {"found": found.value, "survey_days": settings.KONTAKT_SURVEY_DAYS},
            status=CLOSED_PAGES[found],
        )
    )


def _answer(request: HttpRequest, lookup: surveys.Lookup, *, case: Case, citizen: User | None) -> HttpResponse | None:
    """Validate and store the answer; None when it was stored."""
    form = SurveyForm(request.POST)
    if not form.is_valid():
        return _private(render(request, "portal/survey/form.html", {"form": form, "case": case}, status=400))
    assert lookup.survey is not None
    try:
        surveys.survey_answer(
            survey=lookup.survey,
            score=form.cleaned_data["score"],
            got_answer=form.cleaned_data["got_answer"],
            comment=form.cleaned_data["comment"],
            citizen=citizen,
        )
    except surveys.SurveyError:
        # Answered or closed a moment ago (another tab, another device).
        return _closed(request, surveys.survey_of_case(case).found)
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, number: str, token: str) -> HttpResponse:
    lookup = surveys.survey_by_token(number=number, token=token)
    if lookup.found != surveys.Found.OPEN or lookup.survey is None:
        return _closed(request, lookup.found)
    case = lookup.survey.case
    if request.method == "POST":
        refused = _answer(request, lookup, case=case, citizen=None)
        if refused is not None:
            return refused
        return _private(redirect("portal:survey_thanks"))
    return _private(render(request, "portal/survey/form.html", {"form": SurveyForm(), "case": case}))


@never_cache
@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "portal/survey/thanks.html"))


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def mina_sidor_survey(request: HttpRequest, public_id: str) -> HttpResponse:
    case = selectors.citizen_case(request.user, public_id)
    lookup = surveys.survey_of_case(case)
    if lookup.found != surveys.Found.OPEN:
        return _closed(request, lookup.found)
    if request.method == "POST":
        assert isinstance(request.user, User)
        refused = _answer(request, lookup, case=case, citizen=request.user)
        if refused is not None:
            return refused
        messages.success(request, _("Thank you for your answers. They help us do better."))
        return redirect("portal:mina_sidor_case", public_id=case.public_id)
    return _private(
        render(request, "portal/survey/form.html", {"form": SurveyForm(), "case": case, "mina_sidor": True})
    )
