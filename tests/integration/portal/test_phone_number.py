"""The texts that tell people to call give the municipality's number
(KONTAKT_PHONE), or the switchboard when none is configured."""

from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.utils import translation

from portal.ratelimit import Scope, Verdict
from portal.views import _rate_limited_text

REFUSED = Verdict(False, Scope.SESSION, None)


@override_settings(KONTAKT_PHONE="040-625 60 00")
def test_the_rate_limit_message_gives_the_number():
    with translation.override("sv"):
        assert "ring kommunen på 040-625 60 00" in _rate_limited_text(REFUSED)


@override_settings(KONTAKT_PHONE="")
def test_without_a_number_the_message_names_the_switchboard():
    with translation.override("sv"):
        text = _rate_limited_text(REFUSED)
    assert "ring kommunens växel" in text
    assert " på " not in text.split("ring")[-1]


@override_settings(KONTAKT_PHONE="040-625 60 00")
def test_the_neutral_receipt_page_gives_the_number(db):
    request = RequestFactory().get("/")
    with translation.override("sv"):
        html = render_to_string("portal/neutral.html", request=request)
    assert "ring kommunen på 040-625 60 00" in html
