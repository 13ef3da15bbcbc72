"""A logging filter that keeps personal data out of application logs:
e-mail addresses, phone numbers, Swedish personal identity numbers and
query strings (search words travel as GET parameters) are replaced before a
record reaches any handler, tracebacks included."""

from __future__ import annotations

import logging
import re

_PATTERNS = [
    # The query string of any path or URL: search words, filters, tokens.
    (re.compile(r"(?P<path>(?:https?://[^\s\"'?]+|/[^\s\"'?]*))\?[^\s\"']+"), r"\g<path>?[query removed]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[e-mail removed]"),
    # Personnummer and samordningsnummer, with or without century and separator.
    (re.compile(r"(?<!\d)(?:19|20)?\d{6}[-+]?\d{4}(?!\d)"), "[personal number removed]"),
    # Phone numbers: +46…, 07…, and any E.164 number.
    (re.compile(r"(?<![\w/])(?:\+\d{1,3}[\s-]?|0)\d{1,3}(?:[\s-]?\d){5,10}(?!\d)"), "[phone removed]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class NoPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler
            return True
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
