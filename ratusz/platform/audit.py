"""The audit log's one write, `record`, and `audited`, the wrapper of every operator action:
the action and its audit entry are saved in one transaction, or neither is."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest

from ratusz.errors import Refused
from ratusz.platform.models import AuditEntry
from ratusz.tenants import services as tenants
from ratusz.tenants.models import City

P = ParamSpec("P")
R = TypeVar("R")


class ActionRefused(Refused, ValueError):
    """An operator action that cannot be done; the message says why."""

    code = "action_refused"


@dataclass(frozen=True)
class Actor:
    """Who acts: an operator (id, e-mail) from an address, or the system (id None)."""

    id: int | None
    email: str
    ip: str | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        user = request.user
        # The first hop is the client; REMOTE_ADDR is the proxy's when behind one.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        ip = forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR") or None
        return cls(id=user.pk, email=getattr(user, "email", ""), ip=ip)


SYSTEM = Actor(id=None, email="system")


def _plain(value: dict[str, Any] | None) -> dict[str, Any]:
    # JSONField would refuse dates and decimals; keep them as the strings people read.
    return json.loads(json.dumps(value or {}, cls=DjangoJSONEncoder))


def record(
    *,
    actor: Actor,
    action: str,
    city: City | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor_id=actor.id,
        actor_email=actor.email,
        ip_address=actor.ip,
        city_id=city.pk if city is not None else None,
        city_slug=city.slug if city is not None else "",
        action=action,
        before=_plain(before),
        after=_plain(after),
        reason=reason,
    )


def city_snapshot(city: City) -> dict[str, Any]:
    """What the audit log keeps of a city before and after a change."""
    return {
        "slug": city.slug,
        "status": city.status,
        "resumes_as": city.resumes_as,
        "restores_as": city.restores_as,
        "plan": city.plan,
        "limits": city.limits,
        "features": city.features,
        "deleted_at": city.deleted_at,
        "purge_after": city.purge_after,
    }


@dataclass
class Audit:
    """The audit entry of one operator action, filled in by the action while it runs.

    It starts with the action's `city` and `reason` arguments (when it has them); the action
    sets what it knows: the city as it was (`lock_city`) and as it is (`changed`), or any other
    `before`/`after`/`reason`."""

    action: str
    actor: Actor
    city: City | None = None
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    skipped: bool = False

    def lock_city(self, city: City) -> City:
        """Lock the city's row until the action commits; `before` is the city as it was."""
        locked = City.objects.select_for_update().get(pk=city.pk)
        self.city = locked
        self.before = city_snapshot(locked)
        return locked

    def changed(self, city: City) -> City:
        """The action changed `city`; `after` is the city as it is now."""
        self.city = city
        self.after = city_snapshot(city)
        return city

    def skip(self) -> None:
        """Nothing happened (the action was done already): no entry."""
        self.skipped = True


# Every operator action, by its audit name (tests/platform/test_audited.py runs each one).
OPERATOR_ACTIONS: dict[str, Callable[..., Any]] = {}

# Refusals of the city's lifecycle, shown to operators with the same words as ActionRefused.
_LIFECYCLE_REFUSALS = (tenants.TransitionRefused, tenants.CityChangeRefused)


def audited(
    action: str,
) -> Callable[[Callable[Concatenate[Audit, P], R]], Callable[P, R]]:
    """Make an operator action: the decorated service takes the `Audit` to fill in first, then
    its own keyword arguments (an `actor` among them). It runs in one transaction; when it
    returns, its audit entry is recorded in that transaction, so a failing entry undoes the
    action. A refusal records nothing."""

    def decorate(perform: Callable[Concatenate[Audit, P], R]) -> Callable[P, R]:
        if action in OPERATOR_ACTIONS:
            raise ValueError(f"two operator actions are called {action}")

        @functools.wraps(perform)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            city, reason = kwargs.get("city"), kwargs.get("reason", "")
            audit = Audit(
                action=action,
                actor=kwargs["actor"],  # type: ignore[arg-type]  # keyword-only, always given
                city=city if isinstance(city, City) else None,
                reason=reason if isinstance(reason, str) else "",
            )
            with transaction.atomic():
                try:
                    result = perform(audit, *args, **kwargs)
                except _LIFECYCLE_REFUSALS as refused:
                    raise ActionRefused(str(refused)) from refused
                if not audit.skipped:
                    record(
                        actor=audit.actor,
                        action=action,
                        city=audit.city,
                        before=audit.before,
                        after=audit.after,
                        reason=audit.reason,
                    )
            return result

        OPERATOR_ACTIONS[action] = run
        return run

    return decorate
