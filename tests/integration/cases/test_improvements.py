"""Improvements ("Du sa – vi gjorde"): an answer's suggested improvement
becomes an item linked to the cases that asked for it; items are listed,
filtered, exported, changed, published on the public page and counted in
the statistics."""

import csv
import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases import improvements, services
from cases.models import Answer, CaseEvent, Improvement, ImprovementCase
from stats.periods import Period
from stats.selectors import Filters, improvement_figures
from tests.factories import UserFactory
from tests.integration.cases.helpers import case_in, signed_in
from tests.integration.cases.test_query_counts import CASE_PAGE

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")
SUGGESTION = "Skylten vid återvinningscentralen är svår att läsa. Sätt upp en större."


def _answered(org, category=None, suggestion=SUGGESTION):
    case = case_in(category or org.cat_a)
    answer = services.case_answer(
        case=case, text="Tack, vi tittar på det.", channel=Answer.Channel.EMAIL, by=org.officer, improvement=suggestion
    )
    return case, answer


def test_an_answers_suggestion_becomes_an_improvement_linked_to_its_case(org):
    case, answer = _answered(org)
    client = signed_in(org.officer)
    page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    new_url = f"{reverse('cases:improvement_new')}?svar={answer.pk}"
    assert "Följ upp det som en förbättring" in page and new_url.replace("&", "&amp;") in page

    form = client.get(new_url).content.decode()
    assert SUGGESTION in form  # the description starts from the suggestion
    response = client.post(
        reverse("cases:improvement_new"),
        {"action": "create", "svar": answer.pk, "title": "Större skylt", "unit": org.a.pk, "description": SUGGESTION},
    )
    item = Improvement.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:improvement", args=[item.pk])
    assert (item.title, item.unit, item.status, item.created_by) == ("Större skylt", org.a, "proposed", org.officer)
    link = ImprovementCase.objects.get()
    assert (link.case, link.answer) == (case, answer)
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.IMPROVEMENT_LINKED)
    assert event.data == {"improvement": item.pk} and event.text == "Större skylt"
    page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "Följs upp som förbättringen" in page and "Större skylt" in page


def test_a_second_case_joins_the_same_improvement(org):
    first, answer = _answered(org)
    item = improvements.improvement_create(title="Större skylt", unit=org.a, by=org.officer, answer=answer)
    second, second_answer = _answered(org)
    client = signed_in(org.officer)
    data = {"action": "link", "svar": second_answer.pk, "choose-improvement": item.pk}
    assert client.post(reverse("cases:improvement_new"), data).status_code == 302
    assert set(item.cases.all()) == {first, second}
    # Linking again is refused with a message and changes nothing.
    response = client.post(reverse("cases:improvement_new"), data)
    assert response.status_code == 400
    assert f"Ärende {second.number} är redan kopplat till den här förbättringen." in response.content.decode()
    assert item.links.count() == 2


def test_an_answer_of_a_case_one_cannot_work_on_gives_no_improvement(org):
    _case, answer = _answered(org, category=org.cat_c)
    client = signed_in(org.officer)
    assert client.get(f"{reverse('cases:improvement_new')}?svar={answer.pk}").status_code == 404
    assert signed_in(org.dept_head).get(f"{reverse('cases:improvement_new')}?svar={answer.pk}").status_code == 404
    assert not Improvement.objects.exists()


def test_a_free_standing_improvement_is_only_for_ones_own_units(org):
    client = signed_in(org.officer)
    data = {"action": "create", "title": "Bättre skyltning", "unit": org.c.pk, "description": ""}
    response = client.post(reverse("cases:improvement_new"), data)
    assert response.status_code == 400
    assert "Du kan bara skapa förbättringar för dina egna enheter." in response.content.decode()
    response = client.post(reverse("cases:improvement_new"), {**data, "title": "", "unit": org.a.pk})
    assert response.status_code == 400 and "Skriv en rubrik." in response.content.decode()
    assert client.post(reverse("cases:improvement_new"), {**data, "unit": org.a.pk}).status_code == 302


@pytest.fixture
def items(org):
    _case, answer = _answered(org)
    sign = improvements.improvement_create(title="Större skylt", unit=org.a, by=org.officer, answer=answer)
    secret_case, _answer = _answered(org, category=org.cat_c)
    improvements.improvement_link(improvement=sign, case=secret_case, by=org.officer_c)
    bench = improvements.improvement_create(title="=Fler bänkar i parken", unit=org.b, by=org.officer)
    improvements.improvement_update(
        improvement=bench, title=bench.title, unit=org.b, status="planned", description="", by=org.officer
    )
    books = improvements.improvement_create(title="Längre lånetid", unit=org.c, by=org.officer_c)
    return {"sign": sign, "bench": bench, "books": books, "secret_case": secret_case}


def test_the_list_filters_and_exports(org, items):
    client = signed_in(org.officer)
    page = client.get(reverse("cases:improvements")).content.decode()
    assert all(title in page for title in ("Större skylt", "=Fler bänkar i parken", "Längre lånetid"))
    assert "3 förbättringar" in page
    filtered = client.get(reverse("cases:improvements"), {"status": "planned"}).content.decode()
    assert "Fler bänkar" in filtered and "Större skylt" not in filtered
    by_department = client.get(reverse("cases:improvements"), {"department": org.d2.pk}).content.decode()
    assert "Längre lånetid" in by_department and "Större skylt" not in by_department
    assert "Större skylt" in client.get(reverse("cases:improvements"), {"q": "skylt"}).content.decode()

    response = client.get(reverse("cases:improvements_export"), {"department": org.d1.pk})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Id", "Rubrik", "Status", "Ansvarig enhet"]
    by_title = {row[1]: row for row in rows[1:]}
    assert set(by_title) == {"Större skylt", "'=Fler bänkar i parken"}  # a formula is neutralised
    sign = by_title["Större skylt"]
    assert sign[2] == "Föreslagen" and sign[8] == "2"
    # The case of another unit is counted but not named for this officer.
    assert items["secret_case"].number not in sign[9] and sign[9].startswith("KB-")


def test_a_statistics_reader_has_no_improvements_list(org, items):
    assert signed_in(org.stats).get(reverse("cases:improvements")).status_code == 403


def test_the_unit_changes_its_item_and_its_head_publishes_it(org, items, client):
    sign = items["sign"]
    url = reverse("cases:improvement", args=[sign.pk])
    officer = signed_in(org.officer)
    change = {
        "change-title": "Större skylt vid entrén",
        "change-unit": org.a.pk,
        "change-status": "done",
        "change-description": "Ny skylt",
    }
    assert signed_in(org.officer_c).post(reverse("cases:improvement_change", args=[sign.pk]), change).status_code == 403
    assert officer.post(reverse("cases:improvement_change", args=[sign.pk]), change).status_code == 302
    sign.refresh_from_db()
    assert (sign.title, sign.status, sign.done_on is not None) == ("Större skylt vid entrén", "done", True)

    publish = {"publish-public_text": "Ni tyckte att skylten var svår att läsa. Nu har vi satt upp en större."}
    assert officer.post(reverse("cases:improvement_publish", args=[sign.pk]), publish).status_code == 403
    head = signed_in(org.head)
    assert "På den publika sidan" in head.get(url).content.decode()
    empty = head.post(reverse("cases:improvement_publish", args=[sign.pk]), {"publish-public_text": ""})
    assert empty.status_code == 400 and "Skriv den publika texten." in empty.content.decode()
    assert head.post(reverse("cases:improvement_publish", args=[sign.pk]), publish).status_code == 302

    public = client.get(reverse("portal:improvements"))
    assert public.status_code == 200
    html = public.content.decode()
    assert "Större skylt vid entrén" in html and publish["publish-public_text"] in html
    assert "Ny skylt" not in html and "Fler bänkar" not in html  # only the public text, only published items
    assert items["secret_case"].number not in html

    # Back to planned: off the public page.
    officer.post(reverse("cases:improvement_change", args=[sign.pk]), {**change, "change-status": "planned"})
    sign.refresh_from_db()
    assert sign.published_at is None and sign.done_on is None
    assert "Större skylt vid entrén" not in client.get(reverse("portal:improvements")).content.decode()


def test_another_case_is_linked_by_its_number(org, items):
    sign = items["sign"]
    other = case_in(org.cat_a)
    client = signed_in(org.officer)
    url = reverse("cases:improvement_link", args=[sign.pk])
    assert client.post(url, {"link-number": other.number.lower()}).status_code == 302
    assert sign.links.filter(case=other).exists()
    unseen = case_in(org.cat_c)
    response = client.post(url, {"link-number": unseen.number})
    assert response.status_code == 400
    assert f"Det finns inget ärende {unseen.number} som du kan se." in response.content.decode()


def _at(d: date) -> datetime:
    return datetime.combine(d, time(10, 0), tzinfo=STOCKHOLM)


def test_the_statistics_count_improvements_by_hand(org):
    """Created in March 2026: A (proposed), B (planned), C (done in March,
    published); created in February: D, done in March (unit C); E created
    in April. March: created 3 (1 proposed, 1 planned, 1 done), done in
    March 2 (C and D), of them published 1. Unit A only: A and C."""
    user = UserFactory()

    def item(title, unit, created, status="proposed", done=None, publish=False):
        it = improvements.improvement_create(title=title, unit=unit, by=user, at=_at(created))
        if status != "proposed":
            improvements.improvement_update(
                improvement=it, title=title, unit=unit, status=status, description="", by=user, at=_at(done or created)
            )
        if publish:
            improvements.improvement_publish(improvement=it, public_text="Gjort.", by=user)
        return it

    item("A", org.a, date(2026, 3, 2))
    item("B", org.b, date(2026, 3, 10), status="planned")
    item("C", org.a, date(2026, 3, 12), status="done", done=date(2026, 3, 20), publish=True)
    item("D", org.c, date(2026, 2, 20), status="done", done=date(2026, 3, 31))
    item("E", org.a, date(2026, 4, 1))
    march = improvement_figures(period=Period.month(2026, 3), filters=Filters())
    assert (march.created, march.proposed, march.planned, march.done) == (3, 1, 1, 1)
    assert (march.done_in_period, march.published) == (2, 1)
    unit_a = improvement_figures(period=Period.month(2026, 3), filters=Filters(unit=org.a))
    assert (unit_a.created, unit_a.done_in_period) == (2, 1)


def test_the_case_page_with_improvements_stays_within_its_query_budget(org, django_assert_max_num_queries):
    case, answer = _answered(org)
    improvements.improvement_create(title="Större skylt", unit=org.a, by=org.officer, answer=answer)
    services.case_answer(
        case=case, text="Ett svar till.", channel=Answer.Channel.EMAIL, by=org.officer, improvement="Mer ljus"
    )
    client = signed_in(org.officer)
    url = reverse("cases:detail", args=[case.number])
    client.get(url)
    with django_assert_max_num_queries(CASE_PAGE):
        html = client.get(url).content.decode()
    assert "Följs upp som förbättringen" in html and "Följ upp det som en förbättring" in html
