"""The statistics right after the organisation changes, with the summary
fully built (so a stale stored row would show): a unit moved to another
department, a subject area renamed, two subject areas merged. Counted by hand on the known data set
(dataset.py), Q2 2025:

    Gata (Samhällsbyggnad)       A, B, G   received 3, answered 2, closed 3, open 0, overdue 0
    Park (Samhällsbyggnad)       C, F, H   received 3, answered 3, closed 1, open 2, overdue 2 (F, H)
    Bibliotek (Kultur och fritid) D, E     received 2, answered 0, closed 1, open 1, overdue 1 (E)

Web cases: A (Gata), D (Bibliotek, closed), F and H (Park, open and overdue). Counts of 1 or 2 are
shown as "<3" in a breakdown and once a filter is chosen. Subject areas:
Gator A, B, G; Parker C, F, H; Böcker D, E."""

import csv
import io
import itertools

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import Case
from cases.permissions import Role, ensure_groups
from stats import selectors, summary
from stats.models import DirtyMonth
from stats.periods import Period
from stats.selectors import DIMENSIONS, Filters
from tests.factories import UserFactory
from tests.integration.cases.helpers import signed_in
from tests.integration.stats import dataset
from tests.integration.stats.html_tables import read_tables

pytestmark = pytest.mark.django_db

Q2 = "?period=quarter&year=2025&quarter=2"


@pytest.fixture
def data():
    ensure_groups()
    built = dataset.build()
    summary.summary_refresh()
    assert not DirtyMonth.objects.exists()
    return built


@pytest.fixture
def reader(client):
    ensure_groups()
    user = UserFactory(email="stina@burlov.example")
    user.groups.add(Group.objects.get(name=Role.STATISTICS_READER))
    signed_in(user, client)
    return user


def _table(client, url, slug):
    response = client.get(url)
    assert response.status_code == 200
    tables, _ = read_tables(response.content.decode())
    return {row[0]: row[1:6] for row in tables[f"table-{slug}"][1:]}


def _csv(client, url):
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig")), delimiter=";"))
    header = next(i for i, row in enumerate(rows) if row and row[0] in ("Förvaltning", "Enhet", "Ämnesområde", "Mått"))
    return {row[0]: row[1:6] for row in rows[header + 1 :] if row}


def _every_page_agrees_with_a_live_count(data, *more):
    today = timezone.localdate()
    for period, filters in itertools.product(
        (Period.quarter(2025, 2), Period.year(2025)),
        (
            Filters(),
            Filters(department=data.d1),
            Filters(department=data.d2),
            Filters(unit=data.u2),
            Filters(channel="web"),
            Filters(department=data.d2, channel="web"),
            *more,
        ),
    ):
        for dimension in DIMENSIONS.values():
            page = selectors.breakdown(dimension=dimension, period=period, filters=filters, today=today)
            live = selectors.breakdown_live(dimension=dimension, period=period, filters=filters, today=today)
            assert [(r.label, r.figures) for r in page] == [(r.label, r.figures) for r in live], (filters, dimension)


def test_a_unit_moved_to_another_department_counts_there_on_every_page_at_once(client, reader, data):
    by_department = "/statistik/fordelning/forvaltning/" + Q2
    before = _table(client, by_department, "forvaltning")
    assert before["Samhällsbyggnad"] == ["6", "5", "4", "<3", "<3"]
    assert before["Kultur och fritid"] == ["<3", "0", "<3", "<3", "<3"]

    data.u2.department = data.d2  # Park moves to Kultur och fritid, in the admin
    data.u2.save()

    # Nothing stored had to be rebuilt: departments are read through their units.
    assert not DirtyMonth.objects.exists()
    after = _table(client, by_department, "forvaltning")
    assert after["Samhällsbyggnad"] == ["3", "<3", "3", "0", "0"]
    assert after["Kultur och fritid"] == ["5", "3", "<3", "3", "3"]
    assert after["Totalt"] == before["Totalt"] == ["8", "5", "5", "3", "3"]
    assert _csv(client, "/statistik/export/forvaltning.csv" + Q2) == {
        "Samhällsbyggnad": ["3", "<3", "3", "0", "0"],
        "Kultur och fritid": ["5", "3", "<3", "3", "3"],
        "Totalt": ["8", "5", "5", "3", "3"],
    }

    # Filtered by the new department: the overview, the units, the trend.
    d2 = f"{Q2}&department={data.d2.pk}"
    overview = _table(client, "/statistik/" + d2, "oversikt")
    assert [overview[label][0] for label in ("Mottagna", "Besvarade", "Avslutade")] == ["5", "3", "<3"]
    assert _table(client, "/statistik/fordelning/enhet/" + d2, "enhet") == {
        "Park (Kultur och fritid)": ["3", "3", "<3", "<3", "<3"],
        "Bibliotek (Kultur och fritid)": ["<3", "0", "<3", "<3", "<3"],
        "Totalt": ["5", "3", "<3", "3", "3"],
    }
    # Filtered by the unit, or by channel: broken down by department.
    assert _table(client, f"/statistik/fordelning/forvaltning/{Q2}&unit={data.u2.pk}", "forvaltning") == {
        "Kultur och fritid": ["3", "3", "<3", "<3", "<3"],
        "Totalt": ["3", "3", "<3", "<3", "<3"],
    }
    assert _table(client, f"/statistik/fordelning/forvaltning/{Q2}&channel=web", "forvaltning") == {
        "Samhällsbyggnad": ["<3", "<3", "<3", "0", "0"],
        "Kultur och fritid": ["3", "<3", "<3", "<3", "<3"],
        "Totalt": ["4", "3", "<3", "<3", "<3"],
    }
    _every_page_agrees_with_a_live_count(data)


def test_a_renamed_subject_area_keeps_its_figures_under_its_new_name(client, reader, data):
    url = "/statistik/fordelning/amnesomrade/" + Q2
    before = _table(client, url, "amnesomrade")
    data.c2.name = "Parker och grönytor"
    data.c2.save()
    assert not DirtyMonth.objects.exists()
    after = _table(client, url, "amnesomrade")
    assert "Parker" not in after and after["Parker och grönytor"] == before["Parker"] == ["3", "3", "<3", "<3", "<3"]
    assert _csv(client, "/statistik/export/amnesomrade.csv" + Q2)["Parker och grönytor"][0] == "3"
    _every_page_agrees_with_a_live_count(data)


def test_merged_subject_areas_are_counted_as_one_at_once_and_after_the_rebuild(client, reader, data):
    url = "/statistik/fordelning/amnesomrade/" + Q2
    assert _table(client, url, "amnesomrade") == {
        "Gator": ["3", "<3", "3", "0", "0"],
        "Parker": ["3", "3", "<3", "<3", "<3"],
        "Böcker": ["<3", "0", "<3", "<3", "<3"],
        "Totalt": ["8", "5", "5", "3", "3"],
    }
    admin = UserFactory(email="alva@burlov.example", is_staff=True, is_superuser=True)
    admin_client = signed_in(admin, Client())
    changelist = "/admin/cases/category/"
    chosen = {"action": "merge_into", "_selected_action": [data.c2.pk]}

    page = admin_client.post(changelist, chosen)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Slå ihop ämnesområden" in html and "Parker" in html
    assert f'<option value="{data.c1.pk}">Gator</option>' in html
    assert f'<option value="{data.c2.pk}">' not in html
    refused = admin_client.post(changelist, {**chosen, "apply": "1"}).content.decode()
    assert "Välj det ämnesområde som de ska slås ihop med." in refused and 'aria-invalid="true"' in refused

    done = admin_client.post(changelist, {**chosen, "apply": "1", "target": data.c1.pk})
    assert done.status_code == 302
    data.c2.refresh_from_db()
    assert not data.c2.is_active
    assert {case.category_id for case in Case.objects.filter(pk__in=[data.cases[k].pk for k in "CFH"])} == {data.c1.pk}
    merged = {
        "Gator": ["6", "5", "4", "<3", "<3"],
        "Böcker": ["<3", "0", "<3", "<3", "<3"],
        "Totalt": ["8", "5", "5", "3", "3"],
    }
    # The moved cases' months are counted live until the worker rebuilds them ...
    assert DirtyMonth.objects.exists()
    assert _table(client, url, "amnesomrade") == merged
    assert _csv(client, "/statistik/export/amnesomrade.csv" + Q2)["Gator"][0] == "6"
    overview = _table(client, f"/statistik/{Q2}&category={data.c1.pk}", "oversikt")
    assert overview["Mottagna"][0] == "6"
    _every_page_agrees_with_a_live_count(data, Filters(category=data.c1))
    # ... and read from the summary afterwards, the same.
    summary.summary_refresh()
    assert not DirtyMonth.objects.exists()
    assert _table(client, url, "amnesomrade") == merged
    _every_page_agrees_with_a_live_count(data, Filters(category=data.c1))


def test_a_subject_area_is_not_merged_into_itself(data):
    with pytest.raises(services.CaseError, match="sig självt|itself"):
        services.category_merge(source=data.c1, target=data.c1)
    data.c1.refresh_from_db()
    assert data.c1.is_active
