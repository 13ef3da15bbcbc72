from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def simple_markup(text: str):
    """Paragraphs split by blank lines; '## ' starts a heading. Everything is
    escaped, so an administrator's text can never inject markup."""
    blocks = [b.strip() for b in (text or "").replace("\r\n", "\n").split("\n\n") if b.strip()]
    parts = []
    for block in blocks:
        if block.startswith("## "):
            parts.append(format_html("<h2>{}</h2>", block[3:]))
        else:
            lines = block.split("\n")
            parts.append(
                format_html("<p>{}</p>", format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)))
            )
    return mark_safe("\n".join(parts))
