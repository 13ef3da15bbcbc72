"""Queues, filters, search and the fixed number of queries per page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import deadlines, selectors, services
from cases.models import Case
from tests.integration.cases.helpers import case_in, contact, signed_in

pytestmark = pytest.mark.django_db
LIST = reverse("cases:list")


def numbers(response):
    return {c.number for c, _ in response.context["rows"]}


def test_queues(org):
    now = timezone.now()
    mine = case_in(org.cat_a)
    services.case_assign(case=mine, assignee=org.officer, by=org.officer)
    unassigned = case_in(org.cat_a)
    overdue = case_in(org.cat_a, received_at=now - timedelta(days=40))
    today = deadlines.local_date(now)
    # Received so that the due date is exactly the near-deadline threshold.
    threshold = selectors.near_deadline_threshold(today)
    near = case_in(org.cat_a, received_at=now - timedelta(days=12))
    Case.objects.filter(pk=near.pk).update(due_date=threshold)
    client = signed_in(org.officer)
    assert numbers(client.get(LIST, {"queue": "mine"})) == {mine.number}
    assert numbers(client.get(LIST, {"queue": "unassigned"})) == {unassigned.number, overdue.number, near.number}
    assert numbers(client.get(LIST, {"queue": "overdue"})) == {overdue.number}
    assert numbers(client.get(LIST, {"queue": "near"})) == {near.number}
    assert numbers(client.get(LIST, {"queue": "units"})) == {
        mine.number,
        unassigned.number,
        overdue.number,
        near.number,
    }
    body = client.get(LIST, {"queue": "overdue"}).content.decode()
    assert "Försenat" in body
    assert "Nära svarstid" in client.get(LIST, {"queue": "near"}).content.decode()
    assert "arbetsdagar kvar" in client.get(LIST, {"queue": "mine"}).content.decode()


def test_open_filter_from_statistics_drill_down_shows_only_open_cases(org):
    open_case = case_in(org.cat_a)
    closed = case_in(org.cat_a)
    services.case_close(case=closed, resolution=Case.Resolution.NOT_HANDLED, note="Politisk fråga", by=org.officer)
    client = signed_in(org.officer)
    assert numbers(client.get(LIST, {"queue": "open"})) == {open_case.number}
    assert numbers(client.get(LIST)) == {open_case.number, closed.number}


def test_the_status_filter_finds_the_cases_waiting_for_their_sender(org):
    from_anna = case_in(org.cat_a, contact=contact())
    services.case_request_info(case=from_anna, question="Vilken lyktstolpe gäller det?", by=org.officer)
    answered_question = case_in(org.cat_a, contact=contact())
    services.case_request_info(case=answered_question, question="Var exakt?", by=org.officer)
    services.case_add_citizen_message(case=answered_question, text="Vid Storgatan 12.", citizen=None, via="tracking")
    other = case_in(org.cat_a, contact=contact())
    client = signed_in(org.officer)

    response = client.get(LIST, {"status": "awaiting_sender"})
    assert numbers(response) == {from_anna.number}
    body = response.content.decode()
    assert '<option value="awaiting_sender" selected>Väntar på avsändaren</option>' in body
    assert other.number in {c.number for c, _ in client.get(LIST, {"status": "in_progress"}).context["rows"]} | {
        c.number for c, _ in client.get(LIST, {"status": "new"}).context["rows"]
    }


def test_all_new_cases_queue_is_for_medborgarservice(org):
    new_c = case_in(org.cat_c)
    desk = signed_in(org.desk)
    assert numbers(desk.get(LIST, {"queue": "new"})) == {new_c.number}
    assert "Alla nya ärenden" in desk.get(LIST).content.decode()
    assert "Alla nya ärenden" not in signed_in(org.officer).get(LIST).content.decode()


def test_filters_and_sort(org):
    old = case_in(
        org.cat_a,
        kind="feedback",
        feedback_type="complaint",
        channel="phone",
        received_at=timezone.now() - timedelta(days=30),
    )
    new = case_in(org.cat_b, kind="fault_report")
    client = signed_in(org.admin)
    assert numbers(client.get(LIST, {"subtype": "complaint"})) == {old.number}
    assert numbers(client.get(LIST, {"channel": "phone"})) == {old.number}
    assert numbers(client.get(LIST, {"unit": org.b.pk})) == {new.number}
    assert numbers(client.get(LIST, {"department": org.d1.pk})) == {old.number, new.number}
    today = deadlines.local_date(timezone.now())
    assert numbers(client.get(LIST, {"received_from": today.isoformat()})) == {new.number}
    rows = client.get(LIST, {"sort": "received"}).context["rows"]
    assert [c.number for c, _ in rows] == [old.number, new.number]


def test_bad_date_filter_says_what_to_do_and_keeps_the_rest(org):
    response = signed_in(org.admin).get(LIST, {"received_from": "igår", "q": "lampa"})
    body = response.content.decode()
    assert "Skriv ett datum som 2026-03-01." in body
    assert 'value="lampa"' in body and 'value="igår"' in body


def test_search_finds_text_answers_and_number(org):
    lamp = case_in(org.cat_a, description="Gatlampan på Storgatan är trasig.")
    hole = case_in(org.cat_a, description="Hål i cykelvägen.")
    services.case_answer(case=hole, text="Vi har lagat asfalten.", channel="email", by=org.officer)
    client = signed_in(org.officer)
    assert numbers(client.get(LIST, {"q": "Storgatan"})) == {lamp.number}
    assert numbers(client.get(LIST, {"q": "asfalten"})) == {hole.number}
    assert numbers(client.get(LIST, {"q": hole.number.lower()})) == {hole.number}
    # Another unit's case is never found.
    other = case_in(org.cat_c, description="Storgatan igen.")
    assert other.number not in numbers(client.get(LIST, {"q": "Storgatan"}))


@pytest.mark.postgres
def test_search_uses_swedish_stemming_on_postgresql(org):
    lamp = case_in(org.cat_a, description="Gatlamporna på Storgatan är trasiga.")
    assert numbers(signed_in(org.officer).get(LIST, {"q": "gatlampa trasig"})) == {lamp.number}


@pytest.mark.parametrize("queue", ["", "mine", "units", "unassigned", "near", "overdue", "new"])
def test_list_runs_a_fixed_number_of_queries(org, queue, django_assert_max_num_queries):
    client = signed_in(org.desk)
    client.get(LIST, {"queue": queue})  # warm the session
    for _ in range(3):
        c = case_in(org.cat_a, received_at=timezone.now() - timedelta(days=20))
        services.case_assign(case=c, assignee=org.officer, by=org.head)
    # The session, user and permission context (3), the count and the page
    # (2); the drop-downs and the pause periods come from the cache.
    with django_assert_max_num_queries(5):
        small = client.get(LIST, {"queue": queue, "q": "", "sort": "due"})
    for _ in range(30):
        c = case_in(org.cat_a, received_at=timezone.now() - timedelta(days=20))
        services.case_assign(case=c, assignee=org.officer, by=org.head)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LIST, {"queue": queue, "sort": "due"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        big = client.get(LIST, {"queue": queue, "sort": "due"})
    assert small.status_code == big.status_code == 200


def test_case_page_runs_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(org.officer)
    case = case_in(org.cat_a)
    client.get(reverse("cases:detail", args=[case.number]))
    # 9 for the page (the permission context, grants included, is one query; the options of the action forms
    # and the answer templates one more), 2 for secrecy: the marks and the access-log row (one statement); the
    # outcomes of the case's messages are read from the outbox for the timeline. See test_query_counts.py.
    with django_assert_max_num_queries(11):
        client.get(reverse("cases:detail", args=[case.number]))
    for i in range(15):
        services.case_add_note(case=case, text=f"Anteckning {i}", by=[org.officer, org.colleague, org.head][i % 3])
        services.case_answer(case=case, text=f"Svar {i}", channel="email", by=[org.officer, org.colleague][i % 2])
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    for i in range(3):
        services._store_attachment(
            case,
            services.AttachmentData(file=SimpleUploadedFile(f"f{i}.pdf", pdf), content_type="application/pdf"),
            from_citizen=True,
        )
    with django_assert_max_num_queries(11):
        response = client.get(reverse("cases:detail", args=[case.number]))
    assert response.status_code == 200 and "Anteckning 14" in response.content.decode()


def test_pages_hold_the_right_rows_in_order(org, settings):
    """A page is read in two steps (ids, then rows): the pages together are
    the whole sorted list, each row once, with its related names."""
    from cases.views import lists

    now = timezone.now()
    made = [case_in(org.cat_a, received_at=now - timedelta(days=i, hours=i)) for i in range(lists.PAGE_SIZE + 5)]
    client = signed_in(org.admin)
    first = client.get(LIST, {"sort": "-received"})
    second = client.get(LIST, {"sort": "-received", "page": 2})
    seen = [c.number for c, _ in first.context["rows"]] + [c.number for c, _ in second.context["rows"]]
    assert seen == [c.number for c in made]
    assert first.context["page"].paginator.count == len(made)
    case, _ = first.context["rows"][0]
    assert case.unit.name == org.a.name and case.excerpt == made[0].description[:140]


def test_pages_keep_the_filters_and_together_show_every_case(org):
    cases = {case_in(org.cat_a, kind="fault_report").number for _ in range(27)}
    case_in(org.cat_a, kind="question")
    client = signed_in(org.officer)
    first = client.get(LIST, {"kind": "fault_report"})
    body = first.content.decode()
    assert "Sida 1 av 2" in body
    assert 'href="?kind=fault_report&amp;page=2"' in body
    second = client.get(LIST, {"kind": "fault_report", "page": 2})
    assert "Sida 2 av 2" in second.content.decode()
    assert numbers(first) | numbers(second) == cases
