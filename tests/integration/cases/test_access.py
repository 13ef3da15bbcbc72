"""Every role against every back-office view: who sees what, and the 404 /
403 / sign-in answers for the rest."""

import pytest
from django.test import Client
from django.urls import reverse

from cases import services
from tests.integration.cases.helpers import case_in, signed_in

pytestmark = pytest.mark.django_db

LOGIN = "/konto/login/"
VIEWS = ["list", "detail", "detail_new", "register", "note", "take"]

# role: expected status per view (a case in progress in unit A, a new case in unit A)
TABLE = {
    "officer": {"list": 200, "detail": 200, "detail_new": 200, "register": 200, "note": 302, "take": 302},
    "head": {"list": 200, "detail": 200, "detail_new": 200, "register": 200, "note": 302, "take": 302},
    "officer_c": {"list": 200, "detail": 404, "detail_new": 404, "register": 200, "note": 404, "take": 404},
    "dept_head": {"list": 200, "detail": 200, "detail_new": 200, "register": 403, "note": 403, "take": 403},
    "desk": {"list": 200, "detail": 404, "detail_new": 200, "register": 200, "note": 404, "take": 404},
    "admin": {"list": 200, "detail": 200, "detail_new": 200, "register": 200, "note": 302, "take": 302},
    "stats": {"list": 403, "detail": 403, "detail_new": 403, "register": 403, "note": 403, "take": 403},
    "citizen": {"list": 404, "detail": 404, "detail_new": 404, "register": 404, "note": 404, "take": 404},
}


def _request(client, view, case, new_case):
    if view == "list":
        return client.get(reverse("cases:list"), {"queue": "units"})
    if view == "detail":
        return client.get(reverse("cases:detail", args=[case.number]))
    if view == "detail_new":
        return client.get(reverse("cases:detail", args=[new_case.number]))
    if view == "register":
        return client.get(reverse("cases:register"))
    if view == "note":
        return client.post(reverse("cases:note", args=[case.number]), {"note-text": "Ringt upp."})
    if view == "take":
        case.refresh_from_db()
        return client.post(reverse("cases:take", args=[case.number]), {"take-version": case.version})


@pytest.fixture
def cases(org):
    case = case_in(org.cat_a)
    services.case_assign(case=case, assignee=org.colleague, by=org.head)
    new_case = case_in(org.cat_a)
    return case, new_case


@pytest.mark.parametrize("role", TABLE)
@pytest.mark.parametrize("view", VIEWS)
def test_role_table(org, cases, role, view):
    case, new_case = cases
    client = signed_in(getattr(org, role))
    if role == "citizen":
        client = Client()
        client.force_login(org.citizen)
    response = _request(client, view, case, new_case)
    expected = TABLE[role][view]
    if role in ("officer", "admin") and view == "take":
        expected = 302  # taking from a colleague: only heads and admins; officers get 403
        if role == "officer":
            expected = 403
    assert response.status_code == expected, (role, view, response.status_code)


@pytest.mark.parametrize("view", VIEWS)
def test_unauthenticated_visitor_is_sent_to_sign_in(org, cases, view):
    response = _request(Client(), view, *cases)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_staff_without_totp_is_sent_to_set_it_up(org, cases):
    client = signed_in(org.officer, mfa=False)
    response = client.get(reverse("cases:detail", args=[cases[0].number]))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_totp_whose_session_skipped_it_is_signed_out(org, cases):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(org.officer, generate_totp_secret())
    client = signed_in(org.officer, mfa=False)
    response = client.get(reverse("cases:list"))
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_list_shows_only_visible_cases(org):
    mine = case_in(org.cat_a, description="Trasig gatlampa i parken")
    other = case_in(org.cat_c, description="Hål i vägen vid skolan")
    body = signed_in(org.officer).get(reverse("cases:list")).content.decode()
    assert mine.number in body and other.number not in body
    body = signed_in(org.dept_head).get(reverse("cases:list")).content.decode()
    assert mine.number in body and other.number not in body
    body = signed_in(org.admin).get(reverse("cases:list")).content.decode()
    assert mine.number in body and other.number in body


def test_assigned_case_of_another_unit_is_visible_to_its_assignee(org):
    case = case_in(org.cat_c)
    services.case_assign(case=case, assignee=org.officer, by=org.admin)
    assert signed_in(org.officer).get(reverse("cases:detail", args=[case.number])).status_code == 200
