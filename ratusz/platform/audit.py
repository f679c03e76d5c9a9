"""The audit log's one write: `record`, called by every operator action in its transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest

from ratusz.platform.models import AuditEntry
from ratusz.tenants.models import City


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
