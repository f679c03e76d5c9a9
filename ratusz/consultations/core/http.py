"""What a city's view reads from its request. A module of its own, low in the city plane, so
that the views of every layer (methods, city-level apps) can ask for the city without
importing another layer's views."""

from __future__ import annotations

from django.http import HttpRequest

from ratusz.tenants.context import CityRef


def city_of(request: HttpRequest) -> CityRef:
    """The city this request is for (set by CityRoutingMiddleware)."""
    city: CityRef = request.city  # type: ignore[attr-defined]  # set by CityRoutingMiddleware
    return city
