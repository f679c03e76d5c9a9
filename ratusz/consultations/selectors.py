"""Reads in a city's schema."""

from __future__ import annotations

from dataclasses import dataclass

from ratusz.consultations.models import PortalSettings
from ratusz.consultations.translation import translated


@dataclass(frozen=True)
class Welcome:
    title: str
    text: str
    primary_color: str


def portal_welcome(*, default_language: str) -> Welcome:
    portal = PortalSettings.objects.first()
    if portal is None:
        return Welcome(title="", text="", primary_color="#1f4e8c")
    return Welcome(
        title=translated(portal.welcome_title, default_language),
        text=translated(portal.welcome_text, default_language),
        primary_color=portal.primary_color,
    )
