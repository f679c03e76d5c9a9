"""Presentation helpers for content a city writes in several languages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ratusz.consultations.core.richtext import sanitize
from ratusz.consultations.core.translation import translated

register = template.Library()


def _default_language(context: template.Context) -> str:
    request = context.get("request")
    city = getattr(request, "city", None)
    return str(city.default_language) if city is not None else "pl"


@register.simple_tag(takes_context=True)
def tr(context: template.Context, values: dict[str, str] | None) -> str:
    """The value in the current language, else the city's default language."""
    return translated(values, _default_language(context))


@register.simple_tag(takes_context=True)
def tr_html(context: template.Context, values: dict[str, str] | None) -> SafeString:
    """Like `tr`, for rich text (sanitised when saved, and again here: see `rich`)."""
    return rich(translated(values, _default_language(context)))


@register.filter
def rich(html: str | None) -> SafeString:
    """Rich text written by people, printed as markup. It was sanitised when it was saved;
    it is sanitised again here so that no path of writing (a restore, an import, a future
    service that forgets) can put a script on a page: the only way our templates print
    stored HTML unescaped."""
    return mark_safe(sanitize(html or ""))  # the sanitiser's output


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, [])


@register.filter
def wait_in_words(wait: timedelta | None) -> str:
    """A waiting time in whole days, or hours when under a day."""
    if wait is None:
        return ""
    if wait >= timedelta(days=1):
        days = wait.days
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    hours = max(1, round(wait.total_seconds() / 3600))
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


@register.filter
def public_name(user: Any) -> str:
    """How a person is named on public pages: their name, never their e-mail address."""
    if user is None:
        return str(_("former resident"))
    name = (getattr(user, "full_name", "") or "").strip()
    return name or str(_("a resident"))
