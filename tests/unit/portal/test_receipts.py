"""The receipts cookie (portal/receipts.py): signed, so it cannot be forged
or altered, at most RECEIPTS_KEPT receipts, and __Host- prefixed over HTTPS
like the session and CSRF cookies."""

import uuid

from django.core import signing
from django.http import HttpResponse
from django.test import RequestFactory

from portal import receipts


def request_with(value: str | None):
    request = RequestFactory().get("/")
    if value is not None:
        request.COOKIES[receipts.cookie_name()] = value
    return request


def test_a_browser_without_the_cookie_gets_a_new_id_and_no_receipts():
    first, second = receipts.receipts_of(request_with(None)), receipts.receipts_of(request_with(None))
    assert first.public_ids == () and len(first.browser) == 32 and first.browser != second.browser


def test_the_cookie_round_trips_and_keeps_the_last_twenty():
    ids = [uuid.uuid4() for _ in range(25)]
    kept = receipts.Receipts()
    for public_id in ids:
        kept = kept.adding(public_id)
    response = HttpResponse()
    receipts.receipts_store(response, kept)
    cookie = response.cookies[receipts.cookie_name()]
    read = receipts.receipts_of(request_with(cookie.value))
    assert read.browser == kept.browser
    assert read.public_ids == tuple(str(i) for i in ids[-receipts.RECEIPTS_KEPT :])
    assert read.shows(ids[-1]) and not read.shows(ids[0])
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["max-age"]


def test_a_forged_altered_or_old_cookie_counts_as_none(settings):
    genuine = receipts.cookie_value(receipts.Receipts(browser="b" * 32, public_ids=("x",)))
    forged = signing.dumps({"b": "b" * 32, "r": ["x"]}, salt="another", compress=True)
    for value in (forged, genuine[:-2] + "xx", "", "garbage"):
        read = receipts.receipts_of(request_with(value))
        assert read.public_ids == () and read.browser != "b" * 32
    settings.SESSION_COOKIE_AGE = -1
    assert receipts.receipts_of(request_with(genuine)).public_ids == ()


def test_over_https_the_cookie_is_host_prefixed(settings):
    settings.SESSION_COOKIE_SECURE = False
    assert receipts.cookie_name() == "kontakt_receipts"
    settings.SESSION_COOKIE_SECURE = True
    assert receipts.cookie_name() == "__Host-kontakt_receipts"
    response = HttpResponse()
    receipts.receipts_store(response, receipts.Receipts())
    cookie = response.cookies["__Host-kontakt_receipts"]
    assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]


def test_the_tracking_tokens_travel_with_their_receipts_and_go_with_them():
    ids = [uuid.uuid4() for _ in range(receipts.RECEIPTS_KEPT + 1)]
    kept = receipts.Receipts().adding(ids[0], "token-of-the-first")
    for public_id in ids[1:-1]:
        kept = kept.adding(public_id)
    kept = kept.adding(ids[-1], "token-of-the-last")
    response = HttpResponse()
    receipts.receipts_store(response, kept)
    read = receipts.receipts_of(request_with(response.cookies[receipts.cookie_name()].value))
    assert read.token_of(ids[-1]) == "token-of-the-last"
    assert read.token_of(ids[1]) == ""  # sent while signed in: no token
    assert read.token_of(ids[0]) == "" and not read.shows(ids[0])  # its receipt is no longer kept
