"""Query counts of the busiest requests, pinned so they only go down.
Issue 10's targets: the case page ≤ 12, an answer ≤ 15, a web registration
≤ 12. Counted inside the test's transaction, so each outermost
transaction.atomic shows as a SAVEPOINT and its RELEASE (in production
these are BEGIN and COMMIT, which are not statements Django logs). Today:

- the case page, 11: the session and user, the permission context (groups,
  unit memberships, departments headed, access grants: one query), the case
  with its timeline, attachments and answers (4), the secrecy marks, the
  access-log row (one statement: it locks the chain head, inserts the row
  with its hash computed in SQL and moves the head; on SQLite a trigger
  moves the head), the messages of the case from the outbox, and the
  options of the action forms: the units of the route form, the colleagues
  of the assign form and the answer templates (one UNION ALL query). The
  pause periods (the deadline in words) come from the cache
  (cases.deadlines.calendar_for_pages);
- an answer, 15: session, user and permission context (3), the case, then
  the service: savepoint, lock (with category, unit and contact), the
  secrecy marks (read once, under the lock: the right to read a secret case
  is checked there, and the notice is neutral by them), answer, case,
  statistics, event, search vector (one UPDATE; none on SQLite, where
  statistics take two statements), the template, the outbox row, release;
- a web registration, 12 in all, the rate limit included (13 on SQLite,
  where statistics mark their month in a second statement): the category
  with its unit, the rate limit (one upsert for the address and the
  browser), savepoint, the calendar and the new case's id (one statement),
  contact, event, both message templates (one query; none once they are in
  the cache, so 11 from the second registration on), number (one upsert),
  case (with its search vector), statistics, both outbox rows (one insert),
  release. No session: what the browser may see travels in a signed cookie
  (portal/receipts.py), so its next submission costs no more, and the
  receipt page one query (the case with its unit and contact)."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import CategoryFactory
from tests.integration.cases.helpers import case_in, contact, signed_in

CASE_PAGE, ANSWER_POST, RECEIPT_PAGE = 11, 15, 1


def registration_budget() -> int:
    return 12 if connection.vendor == "postgresql" else 13


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
def test_a_web_registration(django_assert_max_num_queries, settings):
    settings.KONTAKT_SUBMISSIONS_PER_SESSION_PER_HOUR = 100
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
    # A browser's first submission and its next (the templates then come
    # from the cache), the rate limit's one statement included.
    for budget in (registration_budget(), registration_budget() - 1):
        with django_assert_max_num_queries(budget):
            response = client.post("/lamna/fraga/", data)
        assert response.status_code == 302
        with django_assert_max_num_queries(RECEIPT_PAGE):
            assert client.get(response["Location"]).status_code == 200
