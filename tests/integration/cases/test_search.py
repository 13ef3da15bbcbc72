"""Search in the case list on either database: case numbers typed loosely,
every word required, matches marked and the text escaped. What PostgreSQL
finds beyond SQLite's plain substrings is in test_search_quality.py."""

import pytest
from django.db import connection
from django.urls import reverse

from cases import services
from tests.integration.cases.helpers import case_in, signed_in

pytestmark = pytest.mark.django_db
LIST = reverse("cases:list")


def numbers(response) -> set[str]:
    assert response.status_code == 200
    return {case.number for case, _deadline in response.context["rows"]}


def test_case_numbers_typed_loosely(org):
    cases = [case_in(org.cat_a, description=f"Ärende nummer {i}.") for i in range(1, 16)]
    wanted = cases[3]
    prefix, year, serial = wanted.number.split("-")
    n = int(serial)
    client = signed_in(org.officer)
    for q in [
        wanted.number,
        wanted.number.lower(),
        f"{prefix} {year} {n}",
        f"{prefix.lower()} {year} {n}",
        f"{prefix}-{year}-{n}",
        f"{prefix}{year}-{n}",
        f" {year}-{n} ",
        f"{year} {n}",
        f"{n}",
        f"{prefix} {n}",
    ]:
        assert numbers(client.get(LIST, {"q": q})) == {wanted.number}, q
    # Not the case whose number ends in the same digit.
    assert numbers(client.get(LIST, {"q": f"{n + 10}"})) == {cases[13].number}
    # A year with the prefix: every case of that year.
    assert client.get(LIST, {"q": f"{prefix} {year}"}).context["page"].paginator.count == 15
    # Someone else's case is not found by its number either.
    other = case_in(org.cat_c)
    assert numbers(client.get(LIST, {"q": other.number})) == set()


def test_every_word_must_match_in_text_place_or_answer(org):
    lamp = case_in(org.cat_a, description="Gatlampan är trasig.", place="Storgatan 12")
    hole = case_in(org.cat_a, description="Hål i asfalten.", place="Storgatan 40")
    services.case_answer(case=hole, text="Vi lagar hålet i veckan.", channel="email", by=org.officer)
    client = signed_in(org.officer)
    assert numbers(client.get(LIST, {"q": "storgatan"})) == {lamp.number, hole.number}
    assert numbers(client.get(LIST, {"q": "Storgatan gatlampan"})) == {lamp.number}
    assert numbers(client.get(LIST, {"q": "veckan storgatan"})) == {hole.number}
    assert numbers(client.get(LIST, {"q": "gatlampan veckan"})) == set()
    assert numbers(client.get(LIST, {"q": "?!"})) == set()


def test_matches_are_marked_and_the_text_escaped(org):
    case_in(org.cat_a, description="Gatlampan <script>alert(1)</script> vid Storgatan är trasig.")
    response = signed_in(org.officer).get(LIST, {"q": "gatlampa"})
    body = response.content.decode()
    marked = "<mark>Gatlampan</mark>" if connection.vendor == "postgresql" else "<mark>Gatlampa</mark>n"
    assert marked in body
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
