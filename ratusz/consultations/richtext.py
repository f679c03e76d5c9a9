"""Rich text written by people: only harmless markup survives (no script, style or handlers)."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "a", "code", "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def sanitize(html: str) -> str:
    """Keep structure and links; drop scripts, styles, event handlers and unsafe URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    ).strip()


def plain_text(html: str) -> str:
    """The words of a piece of rich text, for length checks and search."""
    return nh3.clean(html, tags=set()).strip()
