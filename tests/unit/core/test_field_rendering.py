"""Fields are rendered once per process for everything their HTML depends
on (core/templatetags/core_forms.py): the kept HTML is exactly what the
template gives, and any change of value, options, label, language or an
error gives the field's own HTML."""

from django import forms
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.forms import FIELD_TEMPLATE, AccessibleForm
from core.templatetags.core_forms import field as render_field


class FilterForm(AccessibleForm):
    mark_optional = False
    colour = forms.ChoiceField(label="Färg", required=False, choices=[("", "Alla"), ("red", "Röd"), ("blue", "Blå")])
    day = forms.DateField(label="Dag", required=False, help_text="Till exempel 2026-03-01")


def fresh(bound) -> str:
    return render_to_string(FIELD_TEMPLATE, {"field": bound, "wrapper_class": ""})


def test_a_kept_field_is_the_template_s_own_html():
    for data in ({}, {"colour": "red"}, {"colour": "blue", "day": "2026-03-01"}):
        form = FilterForm(data)
        form.is_valid()
        for name in ("colour", "day"):
            assert render_field(form[name]) == fresh(form[name])
            assert render_field(form[name]) == fresh(form[name])  # the kept copy


def test_the_chosen_value_options_and_label_each_count():
    chosen = render_field(FilterForm({"colour": "red"})["colour"])
    assert '<option value="red" selected>' in chosen
    assert 'value="red" selected' not in render_field(FilterForm({"colour": "blue"})["colour"])
    other = FilterForm({"colour": "red"})
    other.fields["colour"].choices = [("", "Alla"), ("red", "Rosa")]
    assert ">Rosa</option>" in render_field(other["colour"])
    renamed = FilterForm({"colour": "red"})
    renamed.fields["colour"].label = "Kulör"
    assert "Kulör" in render_field(renamed["colour"])


def test_an_error_is_never_served_from_what_was_kept():
    render_field(FilterForm({"day": "2026-13-01"})["day"])
    form = FilterForm({"day": "2026-13-01"})
    assert not form.is_valid()
    html = render_field(form["day"])
    assert 'aria-invalid="true"' in html and "field-error" in html


class SearchForm(AccessibleForm):
    mark_optional = False
    q = forms.CharField(label=gettext_lazy("Search"), required=False)


def test_each_language_has_its_own_copy():
    with translation.override("sv"):
        swedish = render_field(SearchForm()["q"])
    with translation.override("en"):
        english = render_field(SearchForm()["q"])
    assert ">Sök</label>" in swedish and ">Search</label>" in english
