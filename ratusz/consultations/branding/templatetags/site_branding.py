"""Template helpers for the city's look: absolute image URLs (og:image, e-mails) and the look
for templates rendered without a request (e-mails)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from django import template

from ratusz.consultations.branding.selectors import SiteBranding, site_branding
from ratusz.tenants.context import in_city

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context: template.Context, url: str) -> str:
    """`url` made absolute against the current request (stays as is when already absolute)."""
    if not url:
        return ""
    request = context.get("request")
    if request is None:
        return url
    return str(request.build_absolute_uri(url))


@register.simple_tag(takes_context=True)
def email_branding(context: template.Context) -> dict[str, Any]:
    """The current city's look for an e-mail, its images absolute against `portal_url`."""
    defaults: dict[str, Any] = {"primary": "#1f4e8c", "primary_text": "#ffffff", "logo_url": ""}
    if not in_city():
        return defaults
    city = context.get("city")
    look: SiteBranding = site_branding(
        default_language=str(getattr(city, "default_language", "") or "pl")
    )
    base = str(context.get("portal_url") or "")
    logo = look.logo_url
    return {
        "primary": look.primary,
        "primary_text": look.primary_text,
        "logo_url": urljoin(base, logo) if logo and base else logo,
        "logo_alt": look.logo_alt,
    }
