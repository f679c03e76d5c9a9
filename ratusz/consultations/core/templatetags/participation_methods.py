"""What participation methods add to shared templates, read from their manifests."""

from __future__ import annotations

from django import template
from django.urls import reverse

from ratusz.consultations.core.registry import all_methods

register = template.Library()


@register.simple_tag
def portal_nav_links() -> list[dict[str, object]]:
    """The methods' links of the portal's main navigation (`portal_nav`), in registry order."""
    return [
        {"url": reverse(link.url_name), "label": link.label}
        for method in all_methods()
        for link in method.portal_nav
    ]
