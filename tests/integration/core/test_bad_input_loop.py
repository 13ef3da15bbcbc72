"""No 500 on bad input in the forms and addresses of the satisfaction
survey, extended due dates, improvements, questions to the sender and the
tracking link, with the same hostile values
and the same rule as tests/integration/core/test_bad_input.py: a refused
submission stores nothing."""

from __future__ import annotations

import re
from urllib.parse import quote_from_bytes

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from cases import improvements, services
from cases.models import Answer, Case
from notifications.models import OutboundMessage
from tests.integration.cases.helpers import case_in, signed_in
from tests.integration.core.test_bad_input import form_data, get_and_check, one, post_and_check, values

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey_url(org):
    case = case_in(org.cat_a)
    services.case_answer(case=case, text="Svar", channel=Answer.Channel.EMAIL, by=org.officer)
    services.case_close(case=case, resolution=Case.Resolution.ANSWERED, by=org.officer)
    body = OutboundMessage.objects.get(subject_key=f"case:{case.pk}", template_key="closed").body_text
    return "/" + re.search(r"https?://\S+?/(enkat/\S+/\S+/)", body).group(1)


@given(
    pairs=form_data(
        {
            "score": st.sampled_from(["1", "5", "0", "6", "x"]),
            "got_answer": st.sampled_from(["yes", "partly", "no", "kanske"]),
            "comment": one("Bra bemötande."),
        }
    )
)
def test_the_survey_form_never_fails(survey_url, pairs):
    post_and_check(Client(), survey_url, pairs)


@given(data=st.data())
def test_the_extension_form_never_fails(org, data):
    case = case_in(org.cat_a)
    fields = {
        "extend-version": one(str(case.version)),
        "extend-due_date": st.sampled_from(["2099-01-05", "2020-01-01", "31/12", "2099-02-31"]),
        "extend-reason": one("Den som kan svara är borta."),
    }
    post_and_check(signed_in(org.head), f"/handlaggning/arenden/{case.number}/forlang/", data.draw(form_data(fields)))


@given(data=st.data())
def test_the_improvement_forms_never_fail(org, data):
    case = case_in(org.cat_a)
    answer = services.case_answer(
        case=case, text="Svar", channel=Answer.Channel.EMAIL, by=org.officer, improvement="Större skylt"
    )
    item = improvements.improvement_create(title="Skylt", unit=org.a, by=org.officer)
    url, fields = data.draw(
        st.sampled_from(
            [
                (
                    "/handlaggning/forbattringar/ny/",
                    {
                        "action": st.sampled_from(["create", "link", ""]),
                        "svar": st.sampled_from([str(answer.pk), "0", "x"]),
                        "title": one("Större skylt"),
                        "unit": one(str(org.a.pk)),
                        "choose-improvement": one(str(item.pk)),
                    },
                ),
                (
                    f"/handlaggning/forbattringar/{item.pk}/andra/",
                    {
                        "change-title": one("Skylt"),
                        "change-unit": one(str(org.a.pk)),
                        "change-status": st.sampled_from(["proposed", "done", "klar"]),
                    },
                ),
                (f"/handlaggning/forbattringar/{item.pk}/koppla/", {"link-number": one(case.number)}),
                (
                    f"/handlaggning/forbattringar/{item.pk}/publicera/",
                    {"publish-public_text": one("Nu finns en större skylt."), "action": one("")},
                ),
            ]
        )
    )
    post_and_check(signed_in(org.admin), url, data.draw(form_data(fields)))


@given(first=values, second=values)
def test_survey_addresses_never_fail(org, first, second):
    path = f"/enkat/{quote_from_bytes(first, safe='')}/{quote_from_bytes(second, safe='')}/"
    assert Client().get(path).status_code < 500, path


@given(
    query=form_data(
        {
            "status": st.sampled_from(["proposed", "done", "x"]),
            "unit": one("1"),
            "department": one("1"),
            "q": one("skylt"),
            "page": st.sampled_from(["1", "-1", "999999999999999999999"]),
        }
    ),
    url=st.sampled_from(["/handlaggning/forbattringar/", "/handlaggning/forbattringar/export.csv"]),
)
def test_improvement_filters_never_fail(org, query, url):
    get_and_check(signed_in(org.officer), url, query)


@given(data=st.data())
def test_the_question_form_never_fails(org, data):
    case = case_in(org.cat_a)
    fields = {
        "request_info-version": one(str(case.version)),
        "request_info-question": one("Vilken gatlampa gäller det?"),
    }
    post_and_check(signed_in(org.officer), f"/handlaggning/arenden/{case.number}/fraga/", data.draw(form_data(fields)))


@pytest.fixture
def tracking_question(org, settings):
    """A function giving the tracking link of a case with an open question:
    the officer asks again whenever an earlier example's reply answered it,
    so every example meets the reply form, not "no question to answer"."""
    settings.KONTAKT_TRACKING_PER_ADDRESS_PER_HOUR = 10**9
    case = case_in(org.cat_a)

    def link() -> str:
        case.refresh_from_db()
        if not case.is_awaiting_sender:
            services.case_request_info(case=case, question="Vilken gatlampa gäller det?", by=org.officer)
        body = (
            OutboundMessage.objects.filter(subject_key=f"case:{case.pk}", template_key="info_request")
            .latest("id")
            .body_text
        )
        return "/" + re.search(r"https?://\S+?/(folj/\S+/\S+/)", body).group(1)

    return link


@given(pairs=form_data({"text": one("Lampan utanför Storgatan 14.")}))
def test_the_tracking_reply_form_never_fails(tracking_question, pairs):
    post_and_check(Client(), tracking_question(), pairs)


@pytest.fixture
def tracking_unlimited(settings):
    # Once per test, not per example: every assignment to the settings
    # fixture stacks one more override, and 10,000 of them (make fuzz) nest
    # deeper than Python's recursion limit.
    settings.KONTAKT_TRACKING_PER_ADDRESS_PER_HOUR = 10**9


@given(first=values, second=values)
def test_tracking_addresses_never_fail(tracking_unlimited, first, second):
    path = f"/folj/{quote_from_bytes(first, safe='')}/{quote_from_bytes(second, safe='')}/"
    assert Client().get(path).status_code < 500, path
