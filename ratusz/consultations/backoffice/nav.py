"""The back office's navigation: one entry per area; an area adds its entry here."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ratusz.accounts.rules import is_administrator


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: Promise
    administrators_only: bool = False
    partners: bool = True  # partner consultants see administrators' entries, unless False


NAV: list[NavEntry] = [
    NavEntry("backoffice:home", _("Overview")),
    NavEntry("backoffice:projects", _("Projects")),
    NavEntry("backoffice:people", _("People"), administrators_only=True),
    NavEntry("backoffice:groups", _("Groups"), administrators_only=True),
    NavEntry("backoffice:registration-fields", _("Registration fields"), administrators_only=True),
    NavEntry("backoffice:site", _("Branding and site"), administrators_only=True),
    NavEntry("backoffice:events", _("Events")),
    NavEntry("backoffice:proposals", _("Proposals")),
    NavEntry("backoffice:voting-census", _("Census list"), administrators_only=True),
    NavEntry("backoffice:dashboard", _("Dashboard")),
    NavEntry("backoffice:exports", _("Exports")),
    NavEntry("backoffice:campaigns", _("E-mail campaigns"), administrators_only=True),
    NavEntry("backoffice:insight", _("Themes")),
    NavEntry("moderation:queue", _("Moderation")),
    NavEntry("backoffice:features", _("Features"), administrators_only=True, partners=False),
    NavEntry("billing:overview", _("Billing"), administrators_only=True, partners=False),
    NavEntry(
        "onboarding_city:partner-access",
        _("Partner access"),
        administrators_only=True,
        partners=False,
    ),
    NavEntry("backoffice:audit", _("Support visits"), administrators_only=True, partners=False),
]


def nav_for(user: object, current_path: str) -> list[dict[str, object]]:
    """Entries this person may open, each with its URL and whether it is the current page."""
    admin = is_administrator(user)
    partner = getattr(user, "role", "") == "partner"
    entries = []
    for entry in NAV:
        if entry.administrators_only and not (admin or (partner and entry.partners)):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:  # an area that is not built yet
            continue
        current = current_path == url or (
            url != reverse("backoffice:home") and current_path.startswith(url)
        )
        entries.append({"url": url, "label": entry.label, "current": current})
    return entries
