"""Turning a city's wording into e-mail text: campaign bodies and the city's versions of the
automatic e-mails (rendered with the restricted placeholders, never Django templates)."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping

from django.utils.translation import gettext as _

from ratusz.consultations.campaigns import selectors
from ratusz.consultations.campaigns.models import AutomaticEmail
from ratusz.consultations.campaigns.placeholders import UnknownPlaceholder, render_placeholders
from ratusz.consultations.core.richtext import plain_text
from ratusz.consultations.core.translation import translated
from ratusz.consultations.participation.notifications.city_emails import Rendered

logger = logging.getLogger(__name__)

_BLOCK_END = re.compile(r"</(p|h2|h3|h4|li|blockquote|pre)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)
_LINK = re.compile(r'<a\s[^>]*href="([^"]+)"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)


def html_to_text(markup: str) -> str:
    """The plain-text alternative of sanitised HTML: paragraphs on their own lines, links
    followed by their address (a reader without HTML still can follow them)."""

    def link(match: re.Match[str]) -> str:
        href, label = html.unescape(match.group(1)), match.group(2)
        return label if plain_text(label).strip() == href else f"{label} ({href})"

    markup = _LINK.sub(link, markup)
    markup = _BLOCK_END.sub(lambda m: m.group(0) + "\n\n", markup)
    text = html.unescape(plain_text(markup))
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def automatic_version(
    kind: str,
    *,
    language: str,
    default_language: str,
    values_html: Mapping[str, object],
    values_text: Mapping[str, object],
) -> Rendered | None:
    """The city's version of automatic e-mail `kind` in `language` (falling back to its default
    language), or None when the city wrote none: the caller then sends the built-in one."""
    template = selectors.email_template(kind)
    if template is None:
        return None
    subject = translated(template.subject, default_language, language)
    body = translated(template.body, default_language, language)
    if not subject.strip() or not body.strip():
        return None
    try:
        body_html = render_placeholders(body, values_html, html=True)
        return Rendered(
            subject=" ".join(render_placeholders(subject, values_text, html=False).split()),
            html=body_html,
            text=html_to_text(body_html),
        )
    except UnknownPlaceholder:
        # Saved text is checked when it is saved; a placeholder retired since must not stop
        # the e-mail: the built-in wording goes out instead.
        logger.warning("city version of the %s e-mail has an unknown placeholder", kind)
        return None


def default_wording(kind: str) -> tuple[str, str]:
    """A starting point for the editor, in the active language, using the placeholders."""
    if kind == AutomaticEmail.WELCOME:
        return (
            _("Welcome to the consultation portal of {{ city }}"),
            _(
                "<p>Hello {{ name }},</p><p>your account is ready. Share your ideas, comment "
                "and vote on what matters in {{ city }}.</p>"
                '<p><a href="{{ link }}">Go to the portal</a></p>'
            ),
        )
    if kind == AutomaticEmail.STATUS_CHANGED:
        return (
            _("“{{ idea_title }}” is now: {{ status }}"),
            _(
                "<p>Hello {{ name }},</p><p>the status of the idea “{{ idea_title }}” is now: "
                "{{ status }}.</p>{{ answer }}"
                '<p><a href="{{ link }}">See the idea</a></p>'
            ),
        )
    return (
        _("{{ count }} new notifications from {{ city }}"),
        _(
            "<p>Hello {{ name }},</p><p>this is what happened in the last day to ideas you "
            "are involved in:</p>"
        ),
    )


def built_in_version(kind: str, values: Mapping[str, object]) -> Rendered:
    """The built-in wording of automatic e-mail `kind` in the active language, rendered."""
    subject, body = default_wording(kind)
    html = render_placeholders(body, values, html=True)
    return Rendered(
        subject=render_placeholders(subject, values, html=False),
        html=html,
        text=html_to_text(html),
    )
