"""Counted texts read as correct Swedish with one and with more."""

from datetime import date

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation
from django.utils.translation import ngettext

from portal.forms import _attachments_hint
from stats.charts import trend_summary
from stats.selectors import TrendMonth


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def _render(source: str, **context: object) -> str:
    return " ".join(Template("{% load i18n %}" + source).render(Context(context)).split())


@pytest.mark.parametrize(("n", "expected"), [(1, "1 ärende"), (2, "2 ärenden")])
def test_the_case_list_counts_cases(n, expected):
    # The same tag as templates/cases/list.html.
    assert (
        _render("{% blocktranslate count n=n %}{{ n }} case{% plural %}{{ n }} cases{% endblocktranslate %}", n=n)
        == expected
    )


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "Dina val är sparade. De gäller för 1 öppet ärende."),
        (2, "Dina val är sparade. De gäller för 2 öppna ärenden."),
    ],
)
def test_mina_sidor_settings_count_open_cases(n, expected):
    text = ngettext(
        "Your choices are saved. They apply to %(count)s open case.",
        "Your choices are saved. They apply to %(count)s open cases.",
        n,
    ) % {"count": n}
    assert text == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "Vi hittade 1 ärende. 1 konto på Mina sidor."), (2, "Vi hittade 2 ärenden. 2 konton på Mina sidor.")],
)
def test_the_person_search_counts_cases_and_accounts(n, expected):
    # The same tags as templates/retention/person_search.html.
    source = (
        "{% blocktranslate count counter=n %}We found {{ counter }} case.{% plural %}We found {{ counter }} cases."
        "{% endblocktranslate %} {% blocktranslate count counter=n %}{{ counter }} account on Mina sidor.{% plural %}"
        "{{ counter }} accounts on Mina sidor.{% endblocktranslate %}"
    )
    assert _render(source, n=n) == expected


@pytest.mark.parametrize(("received", "word"), [(1, "1 ärende in"), (2, "2 ärenden in")])
def test_the_statistics_trend_counts_cases(received, word):
    months = [TrendMonth(month=date(2026, m, 1)) for m in range(1, 13)]
    months[3] = TrendMonth(month=date(2026, 4, 1), received=received)
    assert word in trend_summary(months)


def test_the_statistics_trend_says_month_or_months():
    assert trend_summary([TrendMonth(month=date(2026, 1, 1))]) == "Inga ärenden kom in under den här 1 månaden."
    two = [TrendMonth(month=date(2026, 1, 1)), TrendMonth(month=date(2026, 2, 1))]
    assert trend_summary(two) == "Inga ärenden kom in under de här 2 månaderna."


def test_the_trend_reads_a_masked_count_as_plural():
    months = [TrendMonth(month=date(2026, 1, 1), received=1)]
    assert "<3 ärenden in" in trend_summary(months, mask=True)


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "Du kan bifoga 1 foto eller en PDF-fil."), (2, "Du kan bifoga upp till 2 foton eller PDF-filer.")],
)
def test_the_attachment_hint_counts_files(n, expected):
    with override_settings(KONTAKT_MAX_ATTACHMENTS=n):
        assert _attachments_hint().startswith(expected)


@pytest.mark.parametrize(
    ("singular", "plural", "one", "two"),
    [
        ("%(n)d working day left", "%(n)d working days left", "1 arbetsdag kvar", "2 arbetsdagar kvar"),
        (
            "%(n)d open case got a new due date.",
            "%(n)d open cases got a new due date.",
            "1 öppet ärende",
            "2 öppna ärenden",
        ),
        ("%(count)s hold on disposal released.", "%(count)s holds on disposal released.", "1 stopp", "2 stopp"),
        (
            "Gave up after %(n)s attempt. Last error: %(error)s",
            "Gave up after %(n)s attempts. Last error: %(error)s",
            "efter 1 försök",
            "efter 2 försök",
        ),
    ],
)
def test_counted_messages_have_both_swedish_forms(singular, plural, one, two):
    values = {"n": 0, "count": 0, "error": "x"}
    assert one in ngettext(singular, plural, 1) % {**values, "n": 1, "count": 1}
    assert two in ngettext(singular, plural, 2) % {**values, "n": 2, "count": 2}
