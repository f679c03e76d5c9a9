"""Banners the operators broadcast to city portals, and the portal notices around them.

`active_announcements(city_id)` is what a city shows now; `city_notices` is the context
processor that gives a city's pages the announcements (in the visitor's language) and the
read-only banner of an archived portal (template: templates/platform/city_notices.html).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone, translation

from ratusz.tenants.context import control_plane
from ratusz.tenants.models import Announcement, CityStatus

CACHE_KEY = "announcements:active"
CACHE_TTL = 60


@dataclass(frozen=True)
class ActiveAnnouncement:
    id: int
    level: str
    message: dict[str, str]

    def text_for(self, language: str, fallback: str = "en") -> str:
        return (
            self.message.get(language)
            or self.message.get(fallback)
            or next(iter(self.message.values()), "")
        )


def _active_rows() -> list[dict[str, Any]]:
    cache = caches["control"]
    rows: list[dict[str, Any]] | None = cache.get(CACHE_KEY)
    if rows is None:
        now = timezone.now()
        with control_plane():
            rows = [
                dict(row)
                for row in Announcement.objects.filter(
                    starts_at__lte=now, ends_at__gt=now, withdrawn_at__isnull=True
                ).values("id", "level", "message", "all_cities", "city_ids", "ends_at")
            ]
        cache.set(CACHE_KEY, rows, CACHE_TTL)
    return rows


def forget_announcements() -> None:
    caches["control"].delete(CACHE_KEY)


def active_announcements(city_id: int) -> list[ActiveAnnouncement]:
    now = timezone.now()
    return [
        ActiveAnnouncement(id=row["id"], level=row["level"], message=row["message"])
        for row in _active_rows()
        if row["ends_at"] > now and (row["all_cities"] or city_id in row["city_ids"])
    ]


def announcements_for(city_ids: list[int]) -> Q:
    """The filter of announcements that reach any of `city_ids` (for the console)."""
    return Q(all_cities=True) | Q(city_ids__overlap=city_ids)


def city_notices(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the notices a city page shows above its header."""
    city = getattr(request, "city", None)
    if city is None:
        return {}
    language = translation.get_language() or city.default_language
    return {
        "city_read_only": bool(getattr(request, "city_read_only", False)),
        # Seen only by those the lifecycle gate lets into a closed city (administrators on
        # billing, operators on a support visit): what residents meet meanwhile.
        "city_closed": "deleted"
        if city.is_deleted
        else ("suspended" if city.status == CityStatus.SUSPENDED else ""),
        "city_announcements": [
            {"level": item.level, "text": item.text_for(language, city.default_language)}
            for item in active_announcements(city.id)
        ],
    }
