"""Query counts of the three busiest requests, pinned so they only go down.
Issue 10's targets: the case page ≤ 12, an answer ≤ 15, a web registration
≤ 12. Today (PostgreSQL; SQLite runs one fewer for the answer and the
registration, having no search vector to write):

- the case page, 20: the session and user, 4 for the permission context
  (groups, unit memberships, departments headed, access grants), the case
  with its timeline, attachments and answers (4), the secrecy marks, 5 for
  the access-log row (savepoint, chain head, insert, move the head,
  release), the pause periods (the deadline in words), the answer
  templates, the colleagues and units of the assign and route forms;
- an answer, 25: the same 6 for session, user and permissions, the case and
  its secrecy marks, then the service: savepoint, lock, contact, answer,
  case, statistics (one statement on PostgreSQL), event, search vector, and
  9 for the notification (contact, category, unit, secrecy, template, outbox
  row) and the savepoint's release;
- a web registration, 31: categories, number counter (5), unit, pause
  periods, case, contact, event, statistics, search vector, two notices
  (receipt and unit) reading the contact and secrecy again, and the session.
The notification queries go with the notifications rework."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CategoryFactory
from tests.integration.cases.helpers import case_in, contact, signed_in

CASE_PAGE, ANSWER_POST, REGISTRATION_POST = 21, 25, 31


def test_the_case_page(org, django_assert_max_num_queries):
    client = signed_in(org.officer)
    case = case_in(org.cat_a, contact=contact())
    url = reverse("cases:detail", args=[case.number])
    client.get(url)
    with django_assert_max_num_queries(CASE_PAGE):
        assert client.get(url).status_code == 200


def test_an_answer(org, django_assert_max_num_queries):
    client = signed_in(org.officer)
    case = case_in(org.cat_a, contact=contact())
    client.get(reverse("cases:detail", args=[case.number]))
    data = {"answer-text": "Svar", "answer-channel": "email", "answer-version": case.version}
    with django_assert_max_num_queries(ANSWER_POST):
        response = client.post(reverse("cases:answer", args=[case.number]), data)
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_web_registration(django_assert_max_num_queries):
    category = CategoryFactory()
    client = Client()
    client.get("/lamna/fraga/")
    data = {
        "category": category.pk,
        "description": "Gatlampan utanför Storgatan 12 har varit släckt i en vecka.",
        "reply": "email",
        "name": "Anna Andersson",
        "email": "anna@example.se",
        "phone": "",
        "website": "",
    }
    with django_assert_max_num_queries(REGISTRATION_POST):
        response = client.post("/lamna/fraga/", data)
    assert response.status_code == 302
