"""Rich text written by people: only harmless markup survives (no script, style or handlers)."""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "a", "code", "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Browsers drop tabs and line breaks anywhere in a URL and C0 controls and spaces around it
# (WHATWG URL), and read a backslash as a slash: "\t/\\evil.example" leads to another host.
_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")
_TRIMMED = "".join(chr(code) for code in range(0x21))
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def safe_link(url: str) -> bool:
    """Whether `url` (an href, entities already decoded) is a link we let people publish: an
    absolute http(s) or mailto URL, or a link within the portal (a path, `?query`, `#anchor`).

    Refused: other schemes however spelled (javascript:, data:, vbscript: with mixed case,
    entities, tabs or leading controls), protocol-relative links (`//host`, `/\\host`, `\\\\host`)
    that leave the portal while looking like paths, and scheme-only forms such as
    `https:host` that browsers resolve differently depending on the page's own scheme."""
    seen = _IGNORED_IN_URLS.sub("", url).strip(_TRIMMED)
    scheme = _SCHEME.match(seen)
    if scheme:
        name = scheme.group(1).lower()
        if name == "mailto":
            return True
        return name in URL_SCHEMES and seen[len(name) + 1 : len(name) + 3] == "//"
    if seen[:1] in {"/", "\\"}:
        return seen[1:2] not in {"/", "\\"}
    # A relative path whose first segment holds a colon would be read as a scheme by some
    # parsers; nothing we publish needs one.
    first_segment = re.split(r"[/\\?#]", seen, maxsplit=1)[0]
    return ":" not in first_segment


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "href" and not safe_link(value):
        return None
    return value


def sanitize(html: str) -> str:
    """Keep structure and links; drop scripts, styles, event handlers and unsafe URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
        attribute_filter=_filter_attribute,
    ).strip()


def plain_text(html: str) -> str:
    """The words of a piece of rich text, for length checks and search."""
    return nh3.clean(html, tags=set()).strip()
