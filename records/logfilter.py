"""A logging filter that keeps personal data out of application logs:
e-mail addresses, phone numbers, Swedish personal identity numbers, query
strings (search words travel as GET parameters) and the tokens of the
private links in a path (the tracking page /folj/<number>/<token>/, the
survey /enkat/<number>/<token>/: whoever reads the log must not be able to
open them) are replaced before a record reaches any handler, tracebacks
included."""

from __future__ import annotations

import logging
import re

_PATTERNS = [
    # Bounded like the addresses themselves (a local part of at most 64
    # characters, labels of at most 63), so a long run of word characters
    # costs a bounded look at each position, not a scan to its end.
    (re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+"), "[e-mail removed]"),
    # Personnummer and samordningsnummer, with or without century and separator.
    (re.compile(r"(?<!\d)(?:19|20)?\d{6}[-+]?\d{4}(?!\d)"), "[personal number removed]"),
    # Phone numbers: +46…, 07…, and any E.164 number.
    (re.compile(r"(?<![\w/])(?:\+\d{1,3}[\s-]?|0)\d{1,3}(?:[\s-]?\d){5,10}(?!\d)"), "[phone removed]"),
]
# The token of a private link: the path part after the case number. The
# parts are bounded by "/", so each position is looked at a bounded number
# of times.
_PRIVATE_LINK = re.compile(r"(/(?:folj|enkat)/[^/\s\"']{1,40}/)[^/\s\"'?]+")
# A word of the log line: a path or URL travels as one.
_WORD = re.compile(r"[^\s\"']+")


def _without_query(word: re.Match[str]) -> str:
    """The query string of a path or URL (search words, filters, tokens):
    what follows the first "?" that ends a part holding a "/". One pass
    over the word: a long word of hostile text costs its length, not its
    length squared."""
    text = word.group(0)
    start = 0
    while (mark := text.find("?", start)) != -1:
        if "/" in text[start:mark] and mark + 1 < len(text):
            return text[:mark] + "?[query removed]"
        start = mark + 1
    return text


def redact(text: str) -> str:
    text = _WORD.sub(_without_query, text)
    text = _PRIVATE_LINK.sub(r"\1[token removed]", text)
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
