"""City-plane set-up steps run inside a new city's schema while it is being provisioned.

The city plane registers its steps here (in its AppConfig.ready), so that provisioning, which
lives in the control plane, never imports a city-plane app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ratusz.tenants.context import CityRef


@dataclass(frozen=True)
class NewCity:
    city: CityRef
    admin_email: str
    admin_name: str


CityInitializer = Callable[[NewCity], None]
_initializers: list[CityInitializer] = []


def register_city_initializer(initializer: CityInitializer) -> CityInitializer:
    if initializer not in _initializers:
        _initializers.append(initializer)
    return initializer


def city_initializers() -> tuple[CityInitializer, ...]:
    return tuple(_initializers)
