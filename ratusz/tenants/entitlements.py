"""What a city may use: its plan, its limits and the features the control plane allows it.

The control plane writes them on the `City` row (billing from the plan, operators as overrides)
through `set_entitlements`; the city plane reads them with `current_entitlements()` and refuses
an action at its limit with `check_limit`, whose message names the limit and how to raise it.
A feature is on in a city only when it is allowed here *and* the city enabled it (the city
plane keeps that second switch). Reads are cached per city and forgotten after each change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ratusz.errors import Refused
from ratusz.tenants.db import connection
from ratusz.tenants.models import City

# Features that plans and operators switch. Missing from a city's `features` means allowed, so
# a city without a plan (manual billing, trial) gets everything until someone says otherwise.
# The features of the platform itself are named here; each participation method brings its own
# (its manifest's `feature`), registered by the city plane's method registry when the apps are
# ready (`register_feature`): nothing below the city plane may import it, and a new method
# touches no file outside its package.
FEATURES: dict[str, Promise] = {
    "custom_domain": gettext_lazy("Custom domain"),
    "email_campaigns": gettext_lazy("E-mail campaigns"),
    "insight": gettext_lazy("Themes in what people said"),
}


def register_feature(key: str, label: Promise) -> None:
    """Add a feature that plans and operators switch (a participation method's). Registering
    it again with the same label does nothing; another label under a taken key is an error."""
    registered = FEATURES.get(key)
    if registered is not None and str(registered) != str(label):
        raise ValueError(f"feature {key!r} is already registered as {registered!r}")
    FEATURES[key] = label


def unregister_feature(key: str) -> None:
    FEATURES.pop(key, None)


# Countable limits. Missing (or None) means unlimited.
LIMITS: dict[str, Promise] = {
    "staff_seats": gettext_lazy("staff seats"),
    "active_projects": gettext_lazy("active projects"),
    "campaigns_per_month": gettext_lazy("e-mail campaigns per month"),
    "storage_mb": gettext_lazy("megabytes of storage"),
}

# The same, counted, in the plural forms of the language ("2 miejsca", "5 miejsc").
LIMIT_UNITS: dict[str, Callable[[int], str]] = {
    "staff_seats": lambda n: ngettext("%(count)s staff seat", "%(count)s staff seats", n),
    "active_projects": lambda n: ngettext(
        "%(count)s active project", "%(count)s active projects", n
    ),
    "campaigns_per_month": lambda n: ngettext(
        "%(count)s e-mail campaign a month", "%(count)s e-mail campaigns a month", n
    ),
    "storage_mb": lambda n: ngettext(
        "%(count)s megabyte of storage", "%(count)s megabytes of storage", n
    ),
}

CACHE_TTL = 600


@dataclass(frozen=True)
class Entitlements:
    plan: str = ""
    limits: Mapping[str, int | None] = field(default_factory=dict)
    features: Mapping[str, bool] = field(default_factory=dict)

    def allows(self, feature: str) -> bool:
        if feature not in FEATURES:
            raise KeyError(f"unknown feature {feature!r}")
        return bool(self.features.get(feature, True))

    def limit(self, name: str) -> int | None:
        if name not in LIMITS:
            raise KeyError(f"unknown limit {name!r}")
        value = self.limits.get(name)
        return None if value is None else int(value)


class LimitReached(Refused):
    """An action that would go past a limit; `message` names it and says how to raise it."""

    code = "limit_reached"

    def __init__(self, name: str, limit: int, used: int) -> None:
        self.name, self.limit, self.used = name, limit, used
        self.message = _(
            "Your plan allows %(allowed)s and %(used)s are in use. An administrator can raise "
            "the limit by choosing a bigger plan under Billing in the back office."
        ) % {"allowed": LIMIT_UNITS[name](limit) % {"count": limit}, "used": used}
        super().__init__(self.message)


class FeatureNotAllowed(Refused):
    code = "feature_not_allowed"

    def __init__(self, feature: str) -> None:
        self.feature = feature
        self.message = _(
            "%(feature)s is not part of your plan. An administrator can add it by choosing "
            "another plan under Billing in the back office."
        ) % {"feature": FEATURES[feature]}
        super().__init__(self.message)


def _key(city_id: int) -> str:
    return f"entitlements:{city_id}"


def entitlements_for(city_id: int) -> Entitlements:
    cache = caches["control"]
    cached: dict[str, Any] | None = cache.get(_key(city_id))
    if cached is None:
        row = City.objects.filter(pk=city_id).values("plan", "limits", "features").first()
        cached = row or {"plan": "", "limits": {}, "features": {}}
        cache.set(_key(city_id), cached, CACHE_TTL)
    return Entitlements(plan=cached["plan"], limits=cached["limits"], features=cached["features"])


def current_entitlements() -> Entitlements:
    """The entitlements of the city the code runs for (inside a request or `city_context`)."""
    city_id = getattr(connection.tenant, "id", None)
    if city_id is None:
        raise RuntimeError("current_entitlements() needs a city context")
    return entitlements_for(int(city_id))


def check_limit(name: str, *, used: int, adding: int = 1) -> None:
    """Raise LimitReached when `used + adding` would go past the current city's limit."""
    limit = current_entitlements().limit(name)
    if limit is not None and used + adding > limit:
        raise LimitReached(name, limit, used)


def check_feature(feature: str) -> None:
    if not current_entitlements().allows(feature):
        raise FeatureNotAllowed(feature)


def forget_entitlements(city_id: int) -> None:
    caches["control"].delete(_key(city_id))


def set_entitlements(
    *,
    city: City,
    plan: str | None = None,
    limits: Mapping[str, int | None] | None = None,
    features: Mapping[str, bool] | None = None,
) -> City:
    """Replace the city's plan, limits and/or allowed features (the values given, whole)."""
    unknown = set(limits or {}) - set(LIMITS) | set(features or {}) - set(FEATURES)
    if unknown:
        raise KeyError(f"unknown limits or features: {sorted(unknown)}")
    fields = ["updated_at"]
    if plan is not None:
        city.plan = plan
        fields.append("plan")
    if limits is not None:
        city.limits = dict(limits)
        fields.append("limits")
    if features is not None:
        city.features = dict(features)
        fields.append("features")
    with transaction.atomic():
        city.save(update_fields=fields)
        city_id = city.pk
        transaction.on_commit(lambda: forget_entitlements(city_id))
    return city
