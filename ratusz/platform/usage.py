"""How much a city uses: the console's one crossing into a city, a city-plane selector called
in that city's context (ARCHITECTURE.md §1); the console reads no city model itself."""

from __future__ import annotations

from ratusz.consultations.core.usage import Usage
from ratusz.consultations.core.usage import city_usage as read_city_usage
from ratusz.tenants.context import city_context
from ratusz.tenants.models import City

__all__ = ["Usage", "city_usage"]


def city_usage(city: City) -> Usage:
    with city_context(city):
        return read_city_usage()
