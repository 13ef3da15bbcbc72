from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

register = template.Library()


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """("h2", [line]) or ("p", lines) per block of the text; a '## ' line
    is a heading of its own, and the lines after it in the same block are
    the paragraph that follows it."""
    found: list[tuple[str, list[str]]] = []
    for block in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines: list[str] = []
        for line in (line.strip() for line in block.strip().split("\n")):
            if line.startswith("## "):
                if lines:
                    found.append(("p", lines))
                    lines = []
                found.append(("h2", [line[3:]]))
            elif line:
                lines.append(line)
        if lines:
            found.append(("p", lines))
    return found


@register.filter
def summary(text: str, length: int = 160) -> str:
    """The first paragraph of a text written for simple_markup, as plain
    text of at most `length` characters (a page's meta description)."""
    first = next((lines for kind, lines in _blocks(text) if kind == "p"), [])
    return Truncator(" ".join(" ".join(first).split())).chars(length)


@register.filter
def simple_markup(text: str):
    """Paragraphs split by blank lines; a line that starts with '## ' is a
    heading. Everything is escaped, so an administrator's text can never
    inject markup."""
    parts = []
    for kind, lines in _blocks(text):
        if kind == "h2":
            parts.append(format_html("<h2>{}</h2>", lines[0]))
        else:
            parts.append(
                format_html("<p>{}</p>", format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)))
            )
    return mark_safe("\n".join(parts))
