"""Server-rendered SVG charts. A chart is never the only way to read a
number: the page shows the same numbers in a table and a text summary."""

from __future__ import annotations

import math

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stats.selectors import TrendMonth

# Both colours reach 3:1 against white (WCAG 1.4.11) and differ in lightness.
RECEIVED_COLOUR = "#0b4f8a"
IN_TIME_COLOUR = "#2f8f4e"


def _nice_max(value: int) -> int:
    if value <= 4:
        return 4
    magnitude = 10 ** int(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return int(math.ceil(top / 4) * 4) if top < 8 else int(top)
    return value


def trend_svg(
    months: list[TrendMonth], *, title_id: str, desc_id: str, title: str, description: str, mask: bool = False
) -> str:
    """Bars per month: received and closed in time. With mask, 1 and 2 are
    both drawn as 2, so the chart tells no more than the table's "<3"."""
    width, height = 760, 320
    left, right, top, bottom = 56, 12, 16, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max([m.received for m in months] + [1]))
    group_w = plot_w / max(len(months), 1)
    bar_w = max(group_w * 0.36, 1)

    def y(v: float) -> float:
        return top + plot_h - plot_h * v / top_value

    parts = [
        f'<svg class="stats-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(description)}</desc>',
    ]
    for i in range(5):
        value = top_value * i / 4
        yy = y(value)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#767676" '
            f'stroke-width="{1 if i == 0 else 0.5}"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" font-size="12" fill="#1b1b1b">'
            f"{escape(number_format(int(value), force_grouping=True))}</text>"
        )
    for i, m in enumerate(months):
        x0 = left + i * group_w + (group_w - 2 * bar_w) / 2
        for offset, value, colour in ((0, m.received, RECEIVED_COLOUR), (bar_w, m.closed_in_time, IN_TIME_COLOUR)):
            if mask and 0 < value < 3:
                value = 2
            h = plot_h * value / top_value
            parts.append(
                f'<rect x="{x0 + offset:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
        if i % 3 == 0 or i == len(months) - 1:
            cx = left + i * group_w + group_w / 2
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 18}" text-anchor="middle" font-size="12" '
                f'fill="#1b1b1b">{escape(date_format(m.month, "M"))}</text>'
            )
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 34}" text-anchor="middle" font-size="12" '
                f'fill="#1b1b1b">{m.month.year}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def trend_summary(months: list[TrendMonth], *, mask: bool = False) -> str:
    def n(value: int) -> str:
        return "<3" if mask and 0 < value < 3 else number_format(value, force_grouping=True)

    def plural(value: int) -> int:
        # "<3" reads as a plural.
        return 2 if mask and 0 < value < 3 else value

    received = sum(m.received for m in months)
    in_time = sum(m.closed_in_time for m in months)
    base = sum(m.close_base for m in months)
    if not received:
        return ngettext(
            "No cases were received in this %(n)s month.", "No cases were received in these %(n)s months.", len(months)
        ) % {"n": len(months)}
    busiest = max(months, key=lambda m: m.received)
    text = ngettext(
        "In the %(n)s months from %(first)s to %(last)s, %(received)s case was received and %(in_time)s of them "
        "was closed in time. Most cases were received in %(busiest)s (%(busiest_n)s).",
        "In the %(n)s months from %(first)s to %(last)s, %(received)s cases were received and %(in_time)s of them "
        "were closed in time. Most cases were received in %(busiest)s (%(busiest_n)s).",
        plural(received),
    ) % {
        "n": len(months),
        "first": date_format(months[0].month, "F Y"),
        "last": date_format(months[-1].month, "F Y"),
        "received": n(received),
        "in_time": n(in_time),
        "busiest": date_format(busiest.month, "F Y"),
        "busiest_n": n(busiest.received),
    }
    if base >= 3 and not (mask and 0 < in_time < 3):
        text += " " + _("Over the whole time, %(pct)s %% of the cases counted were closed in time.") % {
            "pct": number_format(round(100 * in_time / base, 1), 1)
        }
    return text
