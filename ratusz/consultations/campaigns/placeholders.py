"""A deliberately small template language for text a city writes: `{{ name }}` placeholders
from a fixed list per e-mail, and nothing else.

City input is never given to Django's template engine (it could reach variables, filters and
tags it was never meant to see). Placeholders are substituted here, values are HTML-escaped for
HTML bodies, and anything that looks like template syntax but is not a known placeholder is
refused with a message naming it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusz.consultations.campaigns.models import AutomaticEmail

# `{{ word }}`, also as it appears inside an href after sanitising (percent-encoded braces).
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}|%7B%7B(?:%20)*([a-z_]+)(?:%20)*%7D%7D")
# Anything else that looks like template syntax.
ANY_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\{\{|\{%", re.DOTALL)

# Placeholders whose value is HTML we made safe ourselves (sanitised when it was saved).
HTML_VALUES = frozenset({"answer"})

PLACEHOLDERS: dict[str, dict[str, object]] = {
    AutomaticEmail.WELCOME: {
        "name": gettext_lazy("the person's name"),
        "city": gettext_lazy("the city's name"),
        "link": gettext_lazy("the address of the portal"),
    },
    AutomaticEmail.STATUS_CHANGED: {
        "name": gettext_lazy("the person's name"),
        "city": gettext_lazy("the city's name"),
        "idea_title": gettext_lazy("the title of the idea"),
        "status": gettext_lazy("the idea's new status"),
        "answer": gettext_lazy("the city's official answer"),
        "link": gettext_lazy("the address of the idea"),
    },
    AutomaticEmail.DAILY_DIGEST: {
        "name": gettext_lazy("the person's name"),
        "city": gettext_lazy("the city's name"),
        "count": gettext_lazy("how many notifications the summary holds"),
        "link": gettext_lazy("the address of the person's notifications"),
    },
}


class UnknownPlaceholder(ValueError):
    """Text with a placeholder this e-mail does not know, or other template syntax."""

    def __init__(self, found: str, allowed: Iterable[str]) -> None:
        self.found = found
        self.allowed = sorted(allowed)
        self.message = _(
            "“%(found)s” is not a placeholder this e-mail knows. You can use: %(allowed)s."
        ) % {
            "found": found,
            "allowed": ", ".join("{{ " + name + " }}" for name in self.allowed),
        }
        super().__init__(self.message)


def check_placeholders(text: str, allowed: Iterable[str]) -> None:
    """Raise UnknownPlaceholder for the first unknown placeholder or template tag in `text`."""
    allowed = set(allowed)
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1) or match.group(2)
        if name not in allowed:
            raise UnknownPlaceholder(match.group(0), allowed)
    rest = PLACEHOLDER.sub("", text)
    leftover = ANY_TAG.search(rest)
    if leftover is not None:
        raise UnknownPlaceholder(leftover.group(0), allowed)


def render_placeholders(text: str, values: Mapping[str, object], *, html: bool) -> str:
    """Substitute each known placeholder; in HTML, values are escaped (except the ones in
    HTML_VALUES, sanitised when saved). Checks first, so it never emits template syntax."""
    check_placeholders(text, values.keys())

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        value = str(values[name])
        if not html or name in HTML_VALUES:
            return value
        return str(escape(value))

    return PLACEHOLDER.sub(substitute, text)
