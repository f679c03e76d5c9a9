"""What a city's view reads from its request. A module of its own, low in the city plane, so
that the views of every layer (methods, city-level apps) can ask for the city without
importing another layer's views."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from ratusz.consultations.core.models import Project
from ratusz.consultations.core.selectors import project_for
from ratusz.tenants.context import CityRef


def city_of(request: HttpRequest) -> CityRef:
    """The city this request is for (set by CityRoutingMiddleware)."""
    city: CityRef = request.city  # type: ignore[attr-defined]  # set by CityRoutingMiddleware
    return city


def project_or_404(request: HttpRequest, slug: str) -> Project:
    """The project `slug` if this person may see it, else 404 (drafts and hidden projects too)."""
    project = project_for(request.user, slug)
    if project is None:
        raise Http404
    return project
