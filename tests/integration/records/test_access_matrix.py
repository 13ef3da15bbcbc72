"""Who sees what of a secret case or attachment, for every role, through
every view and download URL and the PDF copy."""

import pytest
from django.urls import reverse

from cases import secrecy
from cases.models import CaseEvent
from records.models import AccessLogEntry
from tests.integration.cases.helpers import signed_in
from tests.integration.records.conftest import (
    ANSWER_TEXT,
    NOTE_TEXT,
    SECRET_TEXT,
    full_case,
    mark_case,
    provision,
)

pytestmark = pytest.mark.django_db

# role → (case page, attachment, PDF copy form, access log page)
# "content": 200 with the text; "exists": 200 with the number only; codes otherwise.
MATRIX_MARKED_CASE = {
    "officer": ("content", 200, 200, 403),
    "head": ("content", 200, 200, 200),
    "dept_head": ("exists", 404, 403, 403),
    "desk": (404, 404, 404, 404),  # the desk sees only new cases, and this one is answered
    "officer_c": (404, 404, 404, 404),
    "admin": ("exists", 404, 403, 200),
    "granted": ("content", 200, 403, 403),  # the right to read, not to work on the case
    "stats": (403, 403, 403, 403),
    "citizen": (404, 404, 404, 404),
}


def _user(org, role):
    return getattr(org, role)


def _urls(case):
    attachment = case.attachments.get()
    return (
        reverse("cases:detail", args=[case.number]),
        reverse("cases:attachment", args=[case.number, attachment.public_id]),
        reverse("records:release", args=[case.number]),
        reverse("records:access_log", args=[case.number]),
    )


def _check_page(response, expected, case):
    body = response.content.decode()
    if expected == "content":
        assert response.status_code == 200
        assert SECRET_TEXT in body and ANSWER_TEXT in body and NOTE_TEXT in body and "anna@example.se" in body
    elif expected == "exists":
        assert response.status_code == 200
        assert case.number in body and "sekretessmarkerat" in body
        for secret in (
            SECRET_TEXT,
            ANSWER_TEXT,
            NOTE_TEXT,
            "anna@example.se",
            "Anna Andersson",
            "+46701234567",
            "lakarintyg.pdf",
            "Pilgatan 7",
            case.category.name,
        ):
            assert secret not in body
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", list(MATRIX_MARKED_CASE))
def test_marked_case_for_every_role(org, role):
    case = full_case(org)
    mark_case(case, org.officer)
    secrecy.access_grant(case=case, user=org.granted, by=org.head, reason="Behöver yttra sig.")
    user = _user(org, role)
    client = signed_in(user)
    page, attachment, release, log = MATRIX_MARKED_CASE[role]
    page_url, attachment_url, release_url, log_url = _urls(case)
    _check_page(client.get(page_url), page, case)
    assert client.get(attachment_url).status_code == attachment
    assert client.get(release_url).status_code == release
    response = client.post(release_url, {"release-recipient": ""})
    assert response.status_code == (200 if release == 200 else release)
    if release == 200:
        assert response["Content-Type"] == "application/pdf"
    assert client.get(log_url).status_code == log


@pytest.mark.parametrize("role", ["dept_head", "desk", "admin"])
def test_marked_case_in_the_list_shows_the_number_but_no_text_and_search_does_not_find_the_text(org, role):
    case = full_case(org, answered=False)
    mark_case(case, org.officer)
    client = signed_in(getattr(org, role))
    body = client.get(reverse("cases:list")).content.decode()
    rows = body[body.index("<tbody>") : body.index("</tbody>")]
    assert case.number in rows and "Sekretessmarkerat ärende" in rows
    assert "Hemligtext" not in rows and case.category.name not in rows
    found = client.get(reverse("cases:list"), {"q": "Grannbråket"}).content.decode()
    assert case.number not in found
    by_number = client.get(reverse("cases:list"), {"q": case.number}).content.decode()
    assert case.number in by_number and "Hemligtext" not in by_number
    # Opening a case one may not read leaves no access-log row: nothing was read.
    client.get(reverse("cases:detail", args=[case.number]))
    assert not AccessLogEntry.objects.filter(user=getattr(org, role)).exists()


def test_the_handling_unit_finds_a_marked_case_by_its_text(org):
    case = full_case(org)
    mark_case(case, org.officer)
    body = signed_in(org.colleague).get(reverse("cases:list"), {"q": "Grannbråket"}).content.decode()
    assert case.number in body and "Hemligtext" in body


def test_medborgarservice_sees_a_new_marked_case_exists_but_cannot_read_or_act_on_it(org):
    case = full_case(org, answered=False)
    mark_case(case, org.officer)
    client = signed_in(org.desk)  # Medborgarservice may triage new cases, but not this one
    _check_page(client.get(reverse("cases:detail", args=[case.number])), "exists", case)
    attachment = case.attachments.get()
    assert client.get(reverse("cases:attachment", args=[case.number, attachment.public_id])).status_code == 404
    assert client.get(reverse("records:release", args=[case.number])).status_code == 403
    url = reverse("cases:note", args=[case.number])
    assert client.post(url, {"note-text": "Hej"}).status_code == 403
    assert client.post(reverse("cases:take", args=[case.number]), {"take-version": case.version}).status_code == 403
    # An answer: the right to read is checked under the case's lock, for a valid and an invalid form alike.
    answer = {"answer-text": "Svar", "answer-channel": "email", "answer-version": case.version}
    assert client.post(reverse("cases:answer", args=[case.number]), answer).status_code == 403
    assert client.post(reverse("cases:answer", args=[case.number]), {"answer-text": ""}).status_code == 403
    case.refresh_from_db()
    assert case.status == case.Status.NEW and not case.answers.exists()


def test_a_withdrawn_grant_takes_the_right_away(org):
    case = full_case(org)
    mark_case(case, org.officer)
    grant = secrecy.access_grant(case=case, user=org.granted, by=org.head, reason="Yttrande.")
    assert signed_in(org.granted).get(reverse("cases:detail", args=[case.number])).status_code == 200
    secrecy.access_revoke(grant=grant, by=org.head)
    assert signed_in(org.granted).get(reverse("cases:detail", args=[case.number])).status_code == 404


# role → (case page shows the text, attachment download)
MATRIX_MARKED_ATTACHMENT = {
    "officer": (True, 200),
    "head": (True, 200),
    "dept_head": (True, 404),
    "admin": (True, 404),
    "granted": (True, 200),
    "officer_c": (False, 404),
    "stats": (False, 403),
}


@pytest.mark.parametrize("role", list(MATRIX_MARKED_ATTACHMENT))
def test_marked_attachment_for_every_role(org, role):
    case = full_case(org)
    attachment = case.attachments.get()
    secrecy.secrecy_mark(case=case, attachment=attachment, provision=provision("OSL 25:1"), by=org.officer)
    secrecy.access_grant(case=case, user=org.granted, by=org.admin, reason="Utredning.")
    client = signed_in(_user(org, role))
    page_url, attachment_url, _release, _log = _urls(case)
    sees_text, download = MATRIX_MARKED_ATTACHMENT[role]
    response = client.get(page_url)
    body = response.content.decode()
    if sees_text:
        assert SECRET_TEXT in body
        assert ("lakarintyg.pdf" in body) == (download == 200)
    assert client.get(attachment_url).status_code == download


def test_unmarked_case_is_read_as_before_by_the_department_head(org):
    case = full_case(org)
    body = signed_in(org.dept_head).get(reverse("cases:detail", args=[case.number])).content.decode()
    assert SECRET_TEXT in body and "lakarintyg.pdf" in body


def test_marking_and_unmarking_are_timeline_events_and_pages(org):
    case = full_case(org)
    client = signed_in(org.officer)
    page = client.get(reverse("records:secrecy", args=[case.number]))
    assert page.status_code == 200
    response = client.post(
        reverse("records:mark", args=[case.number]),
        {"mark-target": "case", "mark-provision": provision().pk, "mark-review_on": "2099-01-15"},
    )
    assert response.status_code == 302
    mark = case.secrecy_marks.get()
    assert mark.marked_by == org.officer and str(mark.review_on) == "2099-01-15"
    # The officer may not remove it; the unit head may, with a reason.
    assert (
        client.post(reverse("records:unmark", args=[case.number, mark.pk]), {"unmark-reason": "x"}).status_code == 403
    )
    head = signed_in(org.head)
    bad = head.post(reverse("records:unmark", args=[case.number, mark.pk]), {"unmark-reason": ""})
    assert bad.status_code == 400 and "Skriv varför markeringen tas bort." in bad.content.decode()
    assert (
        head.post(
            reverse("records:unmark", args=[case.number, mark.pk]),
            {"unmark-reason": "Uppgifterna är inte längre känsliga."},
        ).status_code
        == 302
    )
    events = list(case.events.filter(kind__startswith="secrecy_").values_list("kind", flat=True))
    assert events == [CaseEvent.Kind.SECRECY_MARKED, CaseEvent.Kind.SECRECY_REMOVED]


def test_mark_form_errors_are_in_swedish_next_to_the_field(org):
    case = full_case(org)
    response = signed_in(org.officer).post(
        reverse("records:mark", args=[case.number]),
        {"mark-target": "", "mark-provision": "", "mark-review_on": "2001-01-01"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Välj hela ärendet eller en bilaga." in body
    assert "Välj den bestämmelse som gäller." in body
    assert "Välj ett datum efter i dag" in body
    assert AccessLogEntry.objects.count() == 0


def test_grant_form_needs_a_staff_member(org):
    case = full_case(org)
    mark_case(case, org.officer)
    response = signed_in(org.head).post(
        reverse("records:grant", args=[case.number]),
        {"grant-email": "nobody@example.se", "grant-reason": "Behöver läsa."},
    )
    assert response.status_code == 400
    assert "Det finns ingen i personalen med den e-postadressen." in response.content.decode()
    assert (
        signed_in(org.officer)
        .post(reverse("records:grant", args=[case.number]), {"grant-email": org.granted.email, "grant-reason": "x"})
        .status_code
        == 403
    )
