"""The back office's navigation: one entry per area; an area adds its entry here, a
participation method in its manifest (`staff_nav`)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from ratusz.accounts.rules import is_administrator
from ratusz.consultations.core.registry import StaffNavEntry, all_methods

# The city's own areas, before the participation methods' entries...
BEFORE_METHODS: list[StaffNavEntry] = [
    StaffNavEntry("backoffice:home", _("Overview")),
    StaffNavEntry("backoffice:projects", _("Projects")),
    StaffNavEntry("backoffice:people", _("People"), administrators_only=True),
    StaffNavEntry("backoffice:groups", _("Groups"), administrators_only=True),
    StaffNavEntry(
        "backoffice:registration-fields", _("Registration fields"), administrators_only=True
    ),
    StaffNavEntry("backoffice:site", _("Branding and site"), administrators_only=True),
]
# ...and after them.
AFTER_METHODS: list[StaffNavEntry] = [
    StaffNavEntry("backoffice:dashboard", _("Dashboard")),
    StaffNavEntry("backoffice:exports", _("Exports")),
    StaffNavEntry("backoffice:campaigns", _("E-mail campaigns"), administrators_only=True),
    StaffNavEntry("backoffice:insight", _("Themes")),
    StaffNavEntry("moderation:queue", _("Moderation")),
    StaffNavEntry("backoffice:features", _("Features"), administrators_only=True, partners=False),
    StaffNavEntry("billing:overview", _("Billing"), administrators_only=True, partners=False),
    StaffNavEntry(
        "onboarding_city:partner-access",
        _("Partner access"),
        administrators_only=True,
        partners=False,
    ),
    StaffNavEntry(
        "backoffice:audit", _("Support visits"), administrators_only=True, partners=False
    ),
]


def nav_entries() -> list[StaffNavEntry]:
    """Every entry, in order: the methods' (their manifests' `staff_nav`) in registry order."""
    methods = [entry for method in all_methods() for entry in method.staff_nav]
    return [*BEFORE_METHODS, *methods, *AFTER_METHODS]


def nav_for(user: object, current_path: str) -> list[dict[str, object]]:
    """Entries this person may open, each with its URL and whether it is the current page."""
    admin = is_administrator(user)
    partner = getattr(user, "role", "") == "partner"
    entries = []
    for entry in nav_entries():
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
