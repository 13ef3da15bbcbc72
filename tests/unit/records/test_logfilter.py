"""Application logs carry no e-mail addresses, phone numbers, personal
identity numbers or search words."""

import logging

from records.logfilter import NoPersonalData, redact


def test_redact_removes_personal_data_and_query_strings():
    text = redact(
        "GET /handlaggning/arenden/?q=Storgatan+12&queue=mine anna@example.se +46701234567 "
        "070-123 45 67 19121212-1212 201212121212 message 42 on 2026-03-02"
    )
    for gone in ("Storgatan", "anna@example.se", "+46701234567", "070-123 45 67", "19121212-1212", "201212121212"):
        assert gone not in text
    assert "/handlaggning/arenden/?[query removed]" in text and "message 42 on 2026-03-02" in text


def test_filter_rewrites_the_record_and_its_traceback():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "Refused %s", ("sara@example.se",), None)
    try:
        raise ValueError("recipient sara@example.se refused")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    assert NoPersonalData().filter(record)
    assert record.getMessage() == "Refused [e-mail removed]"
    assert "sara@example.se" not in record.exc_text


def test_the_console_handler_has_the_filter():
    from django.conf import settings

    assert "no_personal_data" in settings.LOGGING["handlers"]["console"]["filters"]


def test_a_url_and_a_query_in_other_words_of_the_line():
    text = redact('Not Found: "https://kontakt.example.se/statistik/?enhet=3&q=Anna" url=/x/y?z=1 what? a/b?')
    assert (
        text == 'Not Found: "https://kontakt.example.se/statistik/?[query removed]" url=/x/y?[query removed] what? a/b?'
    )


def test_long_hostile_text_is_redacted_in_linear_time():
    import time

    for hostile in ("a" * 100_000, "/" * 100_000, "+1" * 50_000, "a." * 50_000, "@a" * 50_000, "1" * 100_000):
        started = time.perf_counter()
        redact(f"Not Found: /handlaggning/arenden/{hostile}/")
        assert time.perf_counter() - started < 2, hostile[:10]
    assert redact("x" * 70 + "@example.se").endswith("[e-mail removed]")


def test_the_tokens_of_private_links_are_removed():
    token = "q3Vx0dM1Jb7yR2kL9sT4wZ8nF6hC5aE1"
    text = redact(
        f"Not Found: /folj/KB-2026-00042/{token}/ and https://kontakt.example.se/enkat/KB-2026-00042/{token}/?x=1"
    )
    assert token not in text
    assert "/folj/KB-2026-00042/[token removed]/" in text
    assert "/enkat/KB-2026-00042/[token removed]/" in text
    # Other paths keep their parts.
    assert (
        redact("/enkat/tack/ /handlaggning/arenden/KB-2026-00042/")
        == "/enkat/tack/ /handlaggning/arenden/KB-2026-00042/"
    )
