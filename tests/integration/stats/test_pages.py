"""The statistics pages and files through HTTP: every figure, the small
numbers, no personal data, who may see what, and the period form."""

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from accounts.models import User
from cases.models import UnitMembership
from cases.permissions import Role, ensure_groups
from tests.factories import UserFactory, member
from tests.integration.cases.helpers import signed_in
from tests.integration.stats import dataset
from tests.integration.stats.html_tables import read_tables

pytestmark = pytest.mark.django_db

Q2 = "?period=quarter&year=2025&quarter=2"
# The overview of Q2 2025, in the order of the rows on the page.
# Then: no due date moved, so in time against the original due date is the
# same; A, B, C and H were closed as answered with e-mail or SMS: 4 asked, no
# answers yet.
OVERVIEW_Q2 = ["8", "5", "5", "3", "3", "4", "66,7 %", "3", "37,5 %", "4", "10,2", "9", "14,4"] + [
    "0",
    "66,7 %",
    "37,5 %",
    "4",
    "0",
    "0,0 %",
    "–",
    "–",
    "–",
]
OVERVIEW_Q2_FILE = [8, 5, 5, 3, 3, 4, 66.7, 3, 37.5, 4, 10.2, 9, 14.4, 0, 66.7, 37.5, 4, 0, 0.0, None, None, None]


@pytest.fixture
def data():
    ensure_groups()
    return dataset.build()


@pytest.fixture
def reader(client):
    ensure_groups()
    user = UserFactory(email="stina@burlov.example")
    user.groups.add(Group.objects.get(name=Role.STATISTICS_READER))
    signed_in(user, client)
    return user


@pytest.fixture
def officer_client(client, data):
    user = member(UserFactory(email="hugo@burlov.example"), data.u1, UnitMembership.Role.OFFICER)
    signed_in(user, client)
    return client


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/statistik/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/?next=/statistik/")


def test_citizens_are_refused(client, db):
    # As in the back office: for a citizen the staff pages do not exist.
    citizen = UserFactory(email="medborgare@example.se", kind=User.Kind.CITIZEN)
    client.force_login(citizen)
    for url in ("/statistik/", "/statistik/fordelning/enhet/", "/statistik/export/oversikt.csv"):
        assert client.get(url).status_code == 404


def test_staff_must_pass_the_second_factor(client, db):
    user = UserFactory(email="utan-totp@burlov.example")
    client.force_login(user)
    response = client.get("/statistik/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/2fa/totp/activate")


def test_overview_shows_every_figure_of_the_quarter(client, reader, data):
    response = client.get("/statistik/" + Q2)
    assert response.status_code == 200
    html = response.content.decode()
    tables, _ = read_tables(html)
    overview = tables["table-oversikt"][1:]
    assert [row[1] for row in overview] == OVERVIEW_Q2
    assert [row[0] for row in overview][:5] == [
        "Mottagna",
        "Besvarade",
        "Avslutade",
        "Fortfarande öppna",
        "Försenade nu",
    ]
    trend = {row[0]: row[1:] for row in tables["table-trend"][1:]}
    assert len(trend) == 24
    no_answers = ["0", "–", "–"]
    assert trend["April 2025"] == ["3", "1", "33,3 %", *no_answers]
    assert trend["Maj 2025"] == ["2", "0", "0,0 %", *no_answers]
    assert trend["Juni 2025"] == ["3", "2", "66,7 %", *no_answers]
    assert trend["Januari 2025"] == ["1", "0", "0,0 %", *no_answers]
    assert trend["Juli 2023"] == ["0", "0", "–", *no_answers]
    assert "kom 10 ärenden in och 3 av dem avslutades i tid" in html and "30,0 %" in html
    assert "<svg" in html and 'role="img"' in html


def test_no_personal_data_on_any_page(client, reader, data):
    pages = ["/statistik/" + Q2] + [
        f"/statistik/fordelning/{slug}/" + Q2
        for slug in ("forvaltning", "enhet", "amnesomrade", "arendetyp", "undertyp", "inkanal", "utfall")
    ]
    for url in pages:
        html = client.get(url).content.decode()
        for secret in (
            dataset.SECRET_NAME,
            dataset.SECRET_EMAIL,
            dataset.SECRET_PHONE,
            dataset.SECRET_ADDRESS,
            dataset.SECRET_TEXT,
            "Bertil",
            "Hemlig",
            data.officer.email,
            data.cases["A"].number,
        ):
            assert secret not in html, (url, secret)


def test_small_counts_in_a_breakdown_are_masked(client, reader, data):
    tables, _ = read_tables(client.get("/statistik/fordelning/undertyp/" + Q2).content.decode())
    rows = {row[0]: row[1:] for row in tables["table-undertyp"][1:]}
    assert rows["Fråga"] == ["3", "3", "<3", "<3", "<3", "<3", "–", "0", "0,0 %", "2", "9,2", "–", "–"] + [
        "0",
        "–",
        "0,0 %",
        "<3",
        "0",
        "–",
        "–",
        "–",
        "–",
    ]
    assert rows["Beröm"] == ["<3", "<3", "<3", "0", "0", "<3", "–", "<3", "–", "–", "–", "–", "–"] + [
        "0",
        "–",
        "–",
        "<3",
        "0",
        "–",
        "–",
        "–",
        "–",
    ]
    assert rows["Totalt"] == OVERVIEW_Q2


def test_a_filter_masks_the_overview_too(client, reader, data):
    html = client.get(f"/statistik/{Q2}&department={data.d2.pk}").content.decode()
    tables, _ = read_tables(html)
    assert [row[1] for row in tables["table-oversikt"][1:]][:5] == ["<3", "0", "<3", "<3", "<3"]
    assert "Kultur och fritid" in html


def test_a_statistics_reader_gets_no_links_to_cases(client, reader, data):
    html = client.get("/statistik/fordelning/enhet/" + Q2).content.decode()
    assert "/handlaggning/" not in html


def test_staff_with_case_access_drill_down_to_the_case_list(officer_client, data):
    _, links = read_tables(officer_client.get("/statistik/fordelning/enhet/" + Q2).content.decode())
    gata = next(row for row in links["table-enhet"] if any(row))
    received, closed, open_, overdue = gata[1], gata[3], gata[4], gata[5]
    assert urlsplit(received).path == "/handlaggning/arenden/"
    assert parse_qs(urlsplit(received).query) == {
        "received_from": ["2025-04-01"],
        "received_to": ["2025-06-30"],
        "unit": [str(data.u3.pk)],
    }
    assert parse_qs(urlsplit(closed).query)["status"] == ["closed"]
    assert parse_qs(urlsplit(open_).query)["queue"] == ["open"]
    assert parse_qs(urlsplit(overdue).query)["queue"] == ["overdue"]


def test_the_default_period_is_the_last_full_month(client, reader, db):
    from django.utils import timezone

    from stats.periods import Period

    html = client.get("/statistik/").content.decode()
    expected = Period.last_full_month(timezone.localdate())
    assert expected.dates in html
    assert f'value="{expected.start:%Y-%m}"' in html


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("?period=month&month=2025-13", "month", "Skriv månaden som år-månad, till exempel 2026-03."),
        ("?period=quarter&year=2025", "quarter", "Välj ett kvartal."),
        ("?period=year&year=tjugo", "year", "Skriv året med fyra siffror, till exempel 2026."),
        (
            "?period=range&received_from=2025-05-01&received_to=2025-04-01",
            "received_to",
            "Den sista dagen måste vara samma dag som den första eller senare.",
        ),
        (
            "?period=range&received_from=1%20maj&received_to=2025-04-01",
            "received_from",
            "Skriv datumet som år-månad-dag, till exempel 2026-01-01.",
        ),
    ],
)
def test_a_bad_period_is_explained_next_to_its_field_and_kept(client, reader, query, field, message):
    response = client.get("/statistik/" + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Det finns ett problem" in html
    assert f'id="id_{field}_error"' in html and message in html
    assert 'aria-invalid="true"' in html
    assert html.count(message) == 2  # in the summary and next to the field
    assert "<title>Fel:" in html


def test_csv_export_has_the_period_filters_and_every_figure(client, reader, data):
    response = client.get("/statistik/export/oversikt.csv" + Q2)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Tabell", "Översikt"]
    assert rows[2] == ["Period (mottagningsdatum)", "Kvartal 2 2025 (2025-04-01 – 2025-06-30)"]
    assert rows[3] == ["Filter", "Inga"]
    body = rows[rows.index(["Mått", "Värde"]) + 1 :]
    assert [r[1] for r in body] == ["8", "5", "5", "3", "3", "4", "66,7", "3", "37,5", "4", "10,2", "9", "14,4"] + [
        "0",
        "66,7",
        "37,5",
        "4",
        "0",
        "0",
        "",
        "",
        "",
    ]


def test_excel_export_of_a_breakdown_reads_back(client, reader, data):
    response = client.get(f"/statistik/export/undertyp.xlsx{Q2}&channel=web")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[3][:2] == ["Filter", "Inkanal: Webb"]
    header = rows.index(next(r for r in rows if r[0] == "Ärendetyp"))
    body = {r[0]: r[1:] for r in rows[header + 1 :]}
    # Web cases received in Q2: A (complaint), F and H (questions), D (fault report).
    assert body["Fråga"] == ["<3", "<3", 0, "<3", "<3", "<3", None, 0, None, None, None, None, None] + [
        0,
        None,
        None,
        "<3",
        0,
        None,
        None,
        None,
        None,
    ]
    assert body["Totalt"][:5] == [4, 3, "<3", "<3", "<3"]
    assert "Beröm" not in body


def test_every_table_exports_in_both_formats(client, reader, data):
    for slug in (
        "oversikt",
        "trend",
        "forvaltning",
        "enhet",
        "amnesomrade",
        "arendetyp",
        "undertyp",
        "inkanal",
        "utfall",
        "forbattringar",
    ):
        for fmt in ("csv", "xlsx"):
            response = client.get(f"/statistik/export/{slug}.{fmt}{Q2}")
            assert response.status_code == 200, (slug, fmt)
            assert f"statistik-{slug}-" in response["Content-Disposition"]


def test_exports_neutralise_spreadsheet_formulas(client, reader, data):
    data.c1.name = '=HYPERLINK("http://x";"klicka")'
    data.c1.save()
    csv_text = client.get("/statistik/export/amnesomrade.csv" + Q2).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    assert "\n=HYPERLINK" not in csv_text and ";=HYPERLINK" not in csv_text
    sheet = load_workbook(io.BytesIO(client.get("/statistik/export/amnesomrade.xlsx" + Q2).content)).active
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://x";"klicka")' in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_bad_period_gives_no_file(client, reader):
    response = client.get("/statistik/export/oversikt.csv?period=month&month=nej")
    assert response.status_code == 400


def test_links_with_the_old_swedish_parameter_names_still_work(client, reader, data):
    old = client.get(
        f"/statistik/export/undertyp.csv?period=quarter&ar=2025&kvartal=2&kanal=web&forvaltning={data.d1.pk}"
    )
    new = client.get(f"/statistik/export/undertyp.csv{Q2}&channel=web&department={data.d1.pk}")
    assert old.status_code == new.status_code == 200
    assert old.content == new.content and b"Inkanal: Webb" in new.content
