"""What the search box's text means (cases.search.parse) and how matches are
marked in the list (cases.search.highlight); no database."""

import pytest

from cases.search import Marks, NumberQuery, highlight, parse


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


def test_the_terms_to_mark_are_the_words_of_the_query():
    marks = Marks.of_tsquery("(('gatlampa' | 'gatlampan':*) & 'tras' & 'ab')")
    assert marks.terms == ("gatlampa", "gatlampan", "tras")


def test_words_that_begin_with_a_term_are_marked_and_the_rest_escaped():
    html = highlight("Gatlampan <b>vid</b> Storgatan & torget", Marks(("gatlampa",)))
    assert html == "<mark>Gatlampan</mark> &lt;b&gt;vid&lt;/b&gt; Storgatan &amp; torget"


def test_a_compound_that_contains_a_term_is_marked():
    assert highlight("Taklampan blinkar", Marks(("lampa",))) == "<mark>Taklampan</mark> blinkar"
    # A short term only at the start of a word.
    assert highlight("Väggen vid vägen", Marks(("väg",))) == "<mark>Väggen</mark> vid <mark>vägen</mark>"
    assert highlight("Cykelvägen", Marks(("väg",))) == "Cykelvägen"


def test_on_sqlite_the_typed_words_are_marked_where_they_occur():
    assert highlight("Gatlampan vid GATAN", Marks.of_words(["gatlampa"])) == "<mark>Gatlampa</mark>n vid GATAN"
    assert highlight("a<b", Marks.of_words(["<"])) == "a<mark>&lt;</mark>b"


def test_a_long_text_is_shown_around_its_first_match():
    text = "Inledande ord " * 20 + "gatlampan är trasig " + "och mer " * 30
    html = highlight(text, Marks(("gatlampa",)), limit=60)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>gatlampan</mark> är trasig" in html
    assert len(html.replace("<mark>", "").replace("</mark>", "")) <= 62
    # Near the start: from the start.
    assert highlight("Gatlampan " + "ord " * 50, Marks(("gatlampa",)), limit=20) == "<mark>Gatlampan</mark> ord ord…"
