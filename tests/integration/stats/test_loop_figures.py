"""The satisfaction survey and extended due dates in the statistics equal a
hand count of the known data set in tests/integration/stats/loop.py.

Per case (A = answered in time, Ao = against the original due date,
C = closed in time, Co = against the original; ext = due date moved later;
asked = got the survey; score and "got an answer"):

case  month  unit  type        channel  A   Ao  C   Co  ext  asked  score  got
S1    Sep    U1    complaint   web      T   T   T   T   -    yes    5      yes
S2    Sep    U1    question    web      T   T   T   T   -    yes    4      partly
S3    Sep    U1    fault       phone    T   T   T   T   -    yes    2      no
S4    Sep    U2    praise      email    T   T   T   T   -    yes    -      -
S5    Sep    U2    question    web      T   F   T   F   yes  yes    3      partly
S6    Sep    U2    question    web      (anonymous) T   T   -    -      -      -
S7    Oct    U1    suggestion  letter   T   T   T   T   -    -      -      -
S8    Oct    U1    complaint   web      T   F   T   F   yes  yes    5      yes
S9    Oct    U2    question    web      open, unanswered, overdue against both dates; ext yes
S10   Oct    U2    question    web      transferred: C T, Co T

September: 6 received; answered in time 5 of 5 (100 %), against the
original 4 of 5 (80 %); closed in time 6 of 6, against the original 5 of 6
(83.3 %); 1 extended; asked 5, answered 4 (80 %), satisfied (4–5) 2 of 4
(50 %), mean (5+4+2+3)/4 = 3.5, got an answer 1 of 4 (25 %).
October: 4 received; answered in time 2 of 3 (S9 is overdue unanswered:
66.7 %), against the original 1 of 3 (33.3 %); closed in time 3 of 4 (75 %),
against the original 2 of 4 (50 %); 2 extended; asked 1, answered 1, 100 %
satisfied, mean 5.
The year: 10 received, 3 extended, answered in time 7 of 8 (87.5 %), against
the original 5 of 8 (62.5 %); closed in time 9 of 10 (90 %), against the
original 7 of 10 (70 %); asked 6, answers 5 (83.3 %), satisfied 3 (60 %),
mean 19/5 = 3.8, got an answer 2 of 5 (40 %)."""

from datetime import date

import pytest
from django.core import mail
from django.utils import timezone

from cases.permissions import ensure_groups
from notifications.models import OutboundMessage
from notifications.services import message_deliver
from stats import selectors, summary, tasks
from stats.periods import Period
from stats.selectors import DIMENSIONS, Filters
from tests.factories import UserFactory
from tests.integration.cases.helpers import signed_in
from tests.integration.stats import loop
from tests.integration.stats.html_tables import read_tables

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)


@pytest.fixture
def data():
    return loop.build()


def _loop(f) -> dict:
    return {
        "received": f.received,
        "extended": f.extended,
        "in_time": (f.answered_in_time, f.answer_base, f.answered_in_time_original, f.answer_base_original),
        "closed": (f.closed_in_time, f.close_base, f.closed_in_time_original, f.close_base_original),
        "survey": (f.survey_asked, f.survey_responses, f.survey_satisfied, f.survey_mean, f.survey_got_answer),
        "pct": (
            f.answered_in_time_pct,
            f.answered_in_time_original_pct,
            f.closed_in_time_pct,
            f.closed_in_time_original_pct,
            f.survey_response_pct,
            f.survey_satisfied_pct,
            f.survey_got_answer_pct,
        ),
    }


def test_september_october_and_the_year_equal_the_hand_count(data):
    today = timezone.localdate()
    september = selectors.overview(period=Period.month(2025, 9), filters=Filters(), today=today)
    october = selectors.overview(period=Period.month(2025, 10), filters=Filters(), today=today)
    year = selectors.overview(period=YEAR, filters=Filters(), today=today)
    assert _loop(september) == {
        "received": 6,
        "extended": 1,
        "in_time": (5, 5, 4, 5),
        "closed": (6, 6, 5, 6),
        "survey": (5, 4, 2, 3.5, 1),
        "pct": (100.0, 80.0, 100.0, 83.3, 80.0, 50.0, 25.0),
    }
    assert _loop(october) == {
        "received": 4,
        "extended": 2,
        "in_time": (2, 3, 1, 3),
        "closed": (3, 4, 2, 4),
        "survey": (1, 1, 1, 5.0, 1),
        "pct": (66.7, 33.3, 75.0, 50.0, 100.0, 100.0, 100.0),
    }
    assert _loop(year) == {
        "received": 10,
        "extended": 3,
        "in_time": (7, 8, 5, 8),
        "closed": (9, 10, 7, 10),
        "survey": (6, 5, 3, 3.8, 2),
        "pct": (87.5, 62.5, 90.0, 70.0, 83.3, 60.0, 40.0),
    }


@pytest.mark.parametrize(
    "slug, expected",
    [
        # (asked, answers, satisfied, mean, got an answer, extended) per value
        ("enhet", {"Gata": (4, 4, 3, 4.0, 2, 1), "Bibliotek": (2, 1, 0, 3.0, 0, 2)}),
        ("amnesomrade", {"Gator": (4, 4, 3, 4.0, 2, 1), "Böcker": (2, 1, 0, 3.0, 0, 2)}),
        (
            "undertyp",
            {
                "Beröm": (1, 0, 0, None, 0, 0),
                "Klagomål": (2, 2, 2, 5.0, 2, 1),
                "Förslag": (0, 0, 0, None, 0, 0),
                "Fråga": (2, 2, 1, 3.5, 0, 2),
                "Felanmälan": (1, 1, 0, 2.0, 0, 0),
            },
        ),
        (
            "inkanal",
            {
                "Webb": (4, 4, 3, 4.25, 2, 3),
                "Telefon": (1, 1, 0, 2.0, 0, 0),
                "Brev": (0, 0, 0, None, 0, 0),
                "E-post": (1, 0, 0, None, 0, 0),
            },
        ),
    ],
)
def test_the_breakdowns_equal_the_hand_count(data, slug, expected):
    rows = selectors.breakdown(dimension=DIMENSIONS[slug], period=YEAR, filters=Filters(), today=timezone.localdate())
    got = {
        r.label: (
            r.figures.survey_asked,
            r.figures.survey_responses,
            r.figures.survey_satisfied,
            r.figures.survey_mean,
            r.figures.survey_got_answer,
            r.figures.extended,
        )
        for r in rows
    }
    assert got == expected


def test_per_month_in_the_trend(data):
    months = {m.month: m for m in selectors.trend(end_month=date(2025, 10, 1), filters=Filters(), today=date.today())}
    september, october = months[date(2025, 9, 1)], months[date(2025, 10, 1)]
    assert (september.survey_responses, september.survey_satisfied_pct, september.survey_mean) == (4, 50.0, 3.5)
    assert (october.survey_responses, october.survey_satisfied_pct, october.survey_mean) == (1, 100.0, 5.0)
    assert months[date(2025, 8, 1)].survey_mean is None


def test_the_summary_gives_what_a_live_count_gives(data):
    """The monthly summary holds the new counts: after a rebuild, every
    figure of every table equals the live count."""
    summary.summary_refresh()
    today = timezone.localdate()
    for period in (YEAR, Period.month(2025, 9), Period.range(date(2025, 9, 5), date(2025, 10, 7))):
        assert selectors.overview(period=period, filters=Filters(), today=today) == selectors.overview_live(
            period=period, filters=Filters(), today=today
        )
        for dimension in DIMENSIONS.values():
            summed = selectors.breakdown(dimension=dimension, period=period, filters=Filters(), today=today)
            live = selectors.breakdown_live(dimension=dimension, period=period, filters=Filters(), today=today)
            assert [(r.key, r.figures) for r in summed] == [(r.key, r.figures) for r in live], dimension.slug


def test_the_page_and_the_file_mask_small_numbers(client, data):
    ensure_groups()
    signed_in(UserFactory(), client)
    query = "?period=year&year=2025"
    tables, _ = read_tables(client.get("/statistik/fordelning/enhet/" + query).content.decode())
    header = tables["table-enhet"][0]
    rows = {row[0].split(" (")[0]: dict(zip(header, row, strict=True)) for row in tables["table-enhet"][1:]}
    assert {k: rows["Gata"][k] for k in header[14:]} == {
        "Förlängd svarstid": "<3",
        "Besvarade i tid enligt första svarsdatum, %": "80,0 %",
        "Avslutade i tid enligt första svarsdatum, %": "80,0 %",
        "Tillfrågade i nöjdhetsenkäten": "4",
        "Svar på enkäten": "4",
        "Svarsfrekvens, %": "100,0 %",
        "Nöjda (4–5), %": "75,0 %",
        "Medelbetyg (1–5)": "4,0",
        "Fick svar på det de undrade, %": "–",
    }
    # Bibliotek: one answer, so every share and the mean are hidden.
    assert [rows["Bibliotek"][k] for k in header[17:]] == ["<3", "<3", "–", "–", "–", "–"]
    # The whole municipality is shown as it is.
    assert [rows["Totalt"][k] for k in header[14:]] == [
        "3",
        "62,5 %",
        "70,0 %",
        "6",
        "5",
        "83,3 %",
        "60,0 %",
        "3,8",
        "40,0 %",
    ]
    csv_text = client.get("/statistik/export/enhet.csv" + query).content.decode("utf-8-sig")
    assert "Medelbetyg (1–5)" in csv_text
    bibliotek = next(line for line in csv_text.splitlines() if line.startswith("Bibliotek"))
    assert bibliotek.endswith(";<3;<3;;;;")


def test_the_monthly_report_carries_the_figures(settings, data):
    settings.KONTAKT_STATS_REPORT_EMAIL = ["kommunikation@burlov.example"]
    assert tasks.monthly_report_send(today=date(2025, 11, 3)) is True  # October's report
    for message in OutboundMessage.objects.filter(template_key="stats_monthly"):
        message_deliver(message_id=message.pk)
    (report,) = [m for m in mail.outbox if m.to == ["kommunikation@burlov.example"]]
    for line in (
        "Förlängd svarstid: 2",
        "Besvarade i tid enligt första svarsdatum, %: 33,3 %",
        "Avslutade i tid enligt första svarsdatum, %: 50,0 %",
        "Tillfrågade i nöjdhetsenkäten: 1",
        "Svar på enkäten: 1",
        "Nöjda (4–5), %: 100,0 %",
        "Medelbetyg (1–5): 5,0",
    ):
        assert line in report.body, line
