"""Reads of the city's look and pages. The look is cached per city (cache keys carry the
city's schema, ratusz.tenants.cache) and forgotten whenever an administrator changes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from ratusz.consultations.branding.contrast import BLACK, WHITE
from ratusz.consultations.branding.models import (
    FONT_STACKS,
    Branding,
    LinkPlace,
    Page,
    PageStatus,
    SiteLink,
    TextColour,
)
from ratusz.consultations.core.models import PortalSettings
from ratusz.consultations.core.translation import translated

CACHE_KEY = "branding:look"
CACHE_TTL = 3600
DEFAULT_PRIMARY = "#1f4e8c"


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class SiteBranding:
    """What every page of the portal (and every e-mail) shows of the city's look."""

    primary: str
    primary_text: str
    secondary: str
    secondary_text: str
    font_stack: str
    logo_url: str
    logo_alt: str
    favicon_url: str
    header_image_url: str
    social_image_url: str
    welcome_title: str
    welcome_text: str
    cookie_notice: str
    header_links: tuple[Link, ...]
    footer_links: tuple[Link, ...]


def _text_hex(choice: str) -> str:
    return BLACK if choice == TextColour.BLACK else WHITE


def _file_url(field: Any) -> str:
    return str(field.url) if field else ""


def current_branding() -> Branding:
    """The city's branding row, or an unsaved one with the defaults."""
    return Branding.objects.first() or Branding()


def _load() -> dict[str, Any]:
    """Everything the look needs in one plain structure, every language kept (cacheable)."""
    branding = current_branding()
    portal = PortalSettings.objects.first()
    links = [
        {
            "place": link.place,
            "label": link.label,
            "url": link.url or (f"/pages/{link.page.slug}/" if link.page else ""),
        }
        for link in SiteLink.objects.select_related("page").exclude(page__status=PageStatus.DRAFT)
    ]
    return {
        "primary": portal.primary_color if portal else DEFAULT_PRIMARY,
        "primary_text": _text_hex(branding.primary_text),
        "secondary": branding.secondary_color,
        "secondary_text": _text_hex(branding.secondary_text),
        "font_stack": FONT_STACKS.get(branding.font, FONT_STACKS["system"]),
        "logo_url": _file_url(branding.logo),
        "logo_alt": branding.logo_alt,
        "favicon_url": _file_url(branding.favicon),
        "header_image_url": _file_url(branding.header_image),
        "social_image_url": _file_url(branding.social_image),
        "welcome_title": portal.welcome_title if portal else {},
        "welcome_text": portal.welcome_text if portal else {},
        "cookie_notice": branding.cookie_notice,
        "links": links,
    }


def site_branding(*, default_language: str) -> SiteBranding:
    """The city's look in the current language (falling back to the city's default)."""
    raw: dict[str, Any] | None = cache.get(CACHE_KEY)
    if raw is None:
        raw = _load()
        cache.set(CACHE_KEY, raw, CACHE_TTL)

    def tr(values: dict[str, str]) -> str:
        return translated(values, default_language)

    def links(place: str) -> tuple[Link, ...]:
        return tuple(
            Link(label=tr(link["label"]), url=link["url"])
            for link in raw["links"]
            if link["place"] == place
        )

    return SiteBranding(
        primary=raw["primary"],
        primary_text=raw["primary_text"],
        secondary=raw["secondary"],
        secondary_text=raw["secondary_text"],
        font_stack=raw["font_stack"],
        logo_url=raw["logo_url"],
        logo_alt=tr(raw["logo_alt"]),
        favicon_url=raw["favicon_url"],
        header_image_url=raw["header_image_url"],
        social_image_url=raw["social_image_url"],
        welcome_title=tr(raw["welcome_title"]),
        welcome_text=tr(raw["welcome_text"]),
        cookie_notice=tr(raw["cookie_notice"]),
        header_links=links(LinkPlace.HEADER),
        footer_links=links(LinkPlace.FOOTER),
    )


def forget_branding() -> None:
    """Drop the current city's cached look (the key is the current city's own)."""
    cache.delete(CACHE_KEY)


def published_page(slug: str) -> Page | None:
    return Page.objects.filter(slug=slug, status=PageStatus.PUBLISHED).first()


def all_pages() -> QuerySet[Page]:
    return Page.objects.all()


def all_links() -> QuerySet[SiteLink]:
    return SiteLink.objects.select_related("page")
