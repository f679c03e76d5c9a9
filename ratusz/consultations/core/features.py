"""The city's own switch of each feature, next to the one its plan holds.

A feature is on in a city only when both say yes: the control plane *allows* it (the plan, or
an operator: `ratusz.tenants.entitlements`) and the city *enabled* it (here, on its
`PortalSettings`). A feature missing from `features_enabled` counts as enabled, so a city that
never opened the Features page keeps everything its plan allows.

Switching a feature off hides and refuses new use of it; nothing already made is deleted
(phases of a switched-off method stay on their timelines, sent campaigns stay in the list).
The city's switches are cached per city (cache keys carry the schema, ratusz.tenants.cache)
and forgotten when an administrator changes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.accounts.rules import is_administrator
from ratusz.consultations.core.models import PortalSettings
from ratusz.tenants.context import current_schema, schema_context
from ratusz.tenants.entitlements import (
    FEATURES,
    FeatureNotAllowed,
    check_feature,
    current_entitlements,
)

CACHE_KEY = "portal:features-enabled"
CACHE_TTL = 600

__all__ = [
    "FeatureNotAllowed",
    "FeatureState",
    "FeatureSwitchedOff",
    "UnknownFeature",
    "check_feature_on",
    "feature_on",
    "feature_states",
    "features_enabled",
    "set_features_enabled",
]


class FeatureSwitchedOff(FeatureNotAllowed):
    """The plan allows the feature but the city switched it off.

    A subclass of FeatureNotAllowed on purpose: code that already refuses a feature outside
    the plan (and shows `message`) refuses a switched-off one the same way, with this message.
    """

    def __init__(self, feature: str) -> None:
        self.feature = feature
        self.message = _(
            "%(feature)s is switched off for this portal. An administrator can switch it on "
            "under Features in the back office."
        ) % {"feature": FEATURES[feature]}
        Exception.__init__(self, self.message)


class UnknownFeature(ValueError):
    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.message = _("Unknown features: %(keys)s.") % {"keys": ", ".join(keys)}
        super().__init__(self.message)


# --- reads ------------------------------------------------------------------------------------


def features_enabled() -> dict[str, bool]:
    """The current city's own switches, as stored (a missing feature is enabled)."""
    cached: dict[str, bool] | None = cache.get(CACHE_KEY)
    if cached is None:
        stored = PortalSettings.objects.values_list("features_enabled", flat=True).first()
        cached = {k: bool(v) for k, v in (stored or {}).items() if k in FEATURES}
        cache.set(CACHE_KEY, cached, CACHE_TTL)
    return cached


def _enabled(key: str) -> bool:
    if key not in FEATURES:
        raise KeyError(f"unknown feature {key!r}")
    return features_enabled().get(key, True)


def feature_on(key: str) -> bool:
    """Whether the current city may use `key` now: its plan allows it and the city enabled it."""
    return current_entitlements().allows(key) and _enabled(key)


def check_feature_on(key: str) -> None:
    """Raise FeatureNotAllowed (outside the plan) or FeatureSwitchedOff (the city's choice),
    each with a message saying who can change it and where."""
    check_feature(key)
    if not _enabled(key):
        raise FeatureSwitchedOff(key)


@dataclass(frozen=True)
class FeatureState:
    key: str
    label: str
    allowed: bool
    enabled: bool
    not_allowed_message: str  # why the plan refuses it ("" when allowed)

    @property
    def on(self) -> bool:
        return self.allowed and self.enabled


def feature_states() -> list[FeatureState]:
    """Every feature with both switches, in the order the control plane lists them."""
    entitlements = current_entitlements()
    enabled = features_enabled()
    states = []
    for key, label in FEATURES.items():
        allowed = entitlements.allows(key)
        states.append(
            FeatureState(
                key=key,
                label=str(label),
                allowed=allowed,
                enabled=enabled.get(key, True),
                not_allowed_message="" if allowed else FeatureNotAllowed(key).message,
            )
        )
    return states


# --- writes -----------------------------------------------------------------------------------


def _forget_on_commit() -> None:
    # The cache key carries the schema current when it is made: bind this city's schema now,
    # as the callback may run after the request has left the city.
    schema = current_schema()

    def forget() -> None:
        with schema_context(schema):
            cache.delete(CACHE_KEY)

    transaction.on_commit(forget)


def set_features_enabled(*, admin: User, enabled: Mapping[str, bool]) -> dict[str, bool]:
    """Switch features on or off for the current city (administrators only).

    Only the features given change; the others keep their switch, so a feature the plan does
    not include (and the page cannot show a checkbox for) keeps the city's earlier choice.
    Raises UnknownFeature for a key the control plane does not list. Returns the new switches.
    """
    if not is_administrator(admin):
        raise PermissionDenied(_("Only administrators can switch features on and off."))
    unknown = sorted(set(enabled) - set(FEATURES))
    if unknown:
        raise UnknownFeature(unknown)
    with transaction.atomic():
        portal = PortalSettings.objects.select_for_update().get()
        switches = {k: bool(v) for k, v in portal.features_enabled.items() if k in FEATURES}
        switches.update({k: bool(v) for k, v in enabled.items()})
        portal.features_enabled = switches
        portal.save(update_fields=["features_enabled", "updated_at"])
        _forget_on_commit()
    return switches
