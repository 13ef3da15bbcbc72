"""The small markup of the texts the process owner edits (the portal's start
page, the receipt texts, the service message, the staff guide): plain text
where a blank line starts a new paragraph, "- " or "1. " starts a list item,
*emphasis*, **strong emphasis** and [links](https://…). The guide may also
have headings ("## ", "### ").

Parsed with markdown-it-py with only those rules switched on and raw HTML
off (typed HTML is shown as text), then cleaned by nh3 (the Ammonia
sanitiser) to exactly the tags and link schemes allowed, so a stored text
can never carry a script, a style or a javascript: link into a page."""

from __future__ import annotations

from functools import cache
from typing import Any

import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML

_INLINE_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li"}
_HEADING_TAGS = {"h2", "h3", "h4"}
_SCHEMES = {"http", "https", "mailto", "tel"}


def _heading_level(tag: str) -> str:
    """'# ' gives an h2, never a second h1: the page has its own."""
    return f"h{min(max(int(tag[1]), 2), 4)}"


def _heading_open(self: RendererHTML, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """A heading with an id from its words, so a page can link to it
    ("#registrera-ett-arende")."""
    token = tokens[idx]
    token.tag = _heading_level(token.tag)
    words = tokens[idx + 1].content if idx + 1 < len(tokens) else ""
    if slug := slugify(words):
        token.attrSet("id", slug)
    return self.renderToken(tokens, idx, options, env)


def _heading_close(self: RendererHTML, tokens: Any, idx: int, options: Any, env: Any) -> str:
    tokens[idx].tag = _heading_level(tokens[idx].tag)
    return self.renderToken(tokens, idx, options, env)


@cache
def _parser(headings: bool) -> MarkdownIt:
    rules = ["emphasis", "list", "link", "newline", "escape"]
    if headings:
        rules.append("heading")
    parser = MarkdownIt("zero", {"breaks": True, "html": False}).enable(rules)
    if headings:
        parser.add_render_rule("heading_open", _heading_open)
        parser.add_render_rule("heading_close", _heading_close)
    return parser


def markup_html(text: str, *, headings: bool = False) -> str:
    """The text as clean HTML (a str, for caching); see markup_render."""
    html = _parser(headings).render((text or "").replace("\r\n", "\n"))
    tags = _INLINE_TAGS | (_HEADING_TAGS if headings else set())
    return nh3.clean(
        html,
        tags=tags,
        attributes={"a": {"href"}, **({tag: {"id"} for tag in _HEADING_TAGS} if headings else {})},
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def markup_render(text: str, *, headings: bool = False) -> SafeString:
    """The text as HTML that is safe to put in a page."""
    return mark_safe(markup_html(text, headings=headings))
