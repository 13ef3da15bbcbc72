"""What the search box's text means (cases.search.parse) and how matches are
marked in the list (cases.search.highlight); no database."""

import pytest

from cases.search import START, STOP, NumberQuery, highlight, parse


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("KB-2026-00042", NumberQuery(2026, 42)),
        ("kb-2026-00042", NumberQuery(2026, 42)),
        ("kb 2026 42", NumberQuery(2026, 42)),
        ("KB-2026-42", NumberQuery(2026, 42)),
        ("KB2026-42", NumberQuery(2026, 42)),
        ("KB 2026/42", NumberQuery(2026, 42)),
        ("2026-42", NumberQuery(2026, 42)),
        ("  2026 42 ", NumberQuery(2026, 42)),
        ("2026–42", NumberQuery(2026, 42)),
        ("KB 2026", NumberQuery(year=2026)),
        ("kb-2026-", NumberQuery(year=2026)),
        ("42", NumberQuery(serial=42)),
        ("kb 42", NumberQuery(serial=42)),
        ("2026", NumberQuery(serial=2026)),
    ],
)
def test_a_case_number_typed_loosely(typed, number):
    parsed = parse(typed, prefix="KB")
    assert parsed.number == number
    assert parsed.words == ()


def test_words_are_lower_case_letters_and_digits_without_repeats():
    parsed = parse("Gatlampan är TRASIG, vid Storgatan 12! gatlampan", prefix="KB")
    assert parsed.number is None
    assert parsed.words == ("gatlampan", "är", "trasig", "vid", "storgatan", "12")


def test_words_next_to_a_number_are_words():
    assert parse("Storgatan 42", prefix="KB").words == ("storgatan", "42")
    assert parse("KB 2026 42 gatlampa", prefix="KB").number is None


def test_the_prefix_is_the_configured_one():
    assert parse("AB-2026-7", prefix="AB").number == NumberQuery(2026, 7)
    assert parse("AB-2026-7", prefix="KB").number is None


def test_highlight_escapes_and_marks():
    text = f"{START}Gatlampan{STOP} <b>vid</b> Storgatan & torget"
    assert highlight(text) == "<mark>Gatlampan</mark> &lt;b&gt;vid&lt;/b&gt; Storgatan &amp; torget"


def test_highlight_marks_words_itself_when_given_them():
    assert highlight("Gatlampan vid GATAN", ["gatlampa"]) == "<mark>Gatlampa</mark>n vid GATAN"
    assert highlight("a<b", ["<"]) == "a<mark>&lt;</mark>b"


def test_highlight_shortens_and_closes_an_open_mark():
    text = "Inledning " + START + "gatlampan" + STOP + " " + "ord " * 50
    html = highlight(text, limit=30)
    assert html.startswith("Inledning <mark>gatlampan</mark> ")
    assert html.endswith("…")
    assert highlight(START + "x" * 50 + STOP, limit=10) == "<mark>" + "x" * 10 + "…</mark>"
