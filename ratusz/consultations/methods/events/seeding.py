"""Events as template data, both ways: the events' `seed` adds a new phase's events from a
city template's phase (draft events, through the events' services), `capture` reads a phase's
events back into template data, their days counted from the phase's first day:

    phase["events"] = [{"title": {...}, "description": {...}, "place": {...},
                        "starts_in_days": 3, "at": "18:00", "minutes": 120, "capacity": 40,
                        "online_url": ""}]
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta
from typing import Any

from ratusz.accounts.models import User
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.translation import in_languages
from ratusz.consultations.methods.events import services as events
from ratusz.consultations.methods.events.models import Event
from ratusz.tenants.context import CityRef


def add_event(*, phase: Phase, spec: dict[str, Any], city: CityRef) -> Event:
    """A draft event of the template, on the day `starts_in_days` after the phase's first
    day, at its local time; the project is a draft, so nobody sees it before staff publish."""
    zone = zoneinfo.ZoneInfo(city.time_zone)
    day = phase.starts_at.astimezone(zone).date() + timedelta(
        days=int(spec.get("starts_in_days", 0))
    )
    hour, minute = (int(part) for part in str(spec.get("at", "18:00")).split(":"))
    starts = datetime.combine(day, time(hour, minute), tzinfo=zone)
    return events.create_event(
        phase=phase,
        details=events.EventDetails(
            title=in_languages(spec.get("title", {}), city.languages),
            description=in_languages(spec.get("description", {}), city.languages),
            place=in_languages(spec.get("place", {}), city.languages),
            starts_at=starts,
            ends_at=starts + timedelta(minutes=max(1, int(spec.get("minutes", 120)))),
            online_url=str(spec.get("online_url") or ""),
            capacity=spec.get("capacity"),
        ),
    )


def seed_phase(*, phase: Phase, spec: dict[str, Any], staff: User, city: CityRef) -> None:
    """The events' `seed`: the events of a template's phase."""
    for event in spec.get("events", []):
        add_event(phase=phase, spec=event, city=city)


def capture_events(phase: Phase, zone: zoneinfo.ZoneInfo) -> list[dict[str, Any]]:
    first_day = phase.starts_at.astimezone(zone).date()
    captured = []
    for event in Event.objects.filter(phase=phase).order_by("starts_at", "pk"):
        local = event.starts_at.astimezone(zone)
        captured.append(
            {
                "title": event.title,
                "description": event.description,
                "place": event.place,
                "starts_in_days": max(0, (local.date() - first_day).days),
                "at": local.strftime("%H:%M"),
                "minutes": max(1, int((event.ends_at - event.starts_at).total_seconds() // 60)),
                "capacity": event.capacity,
                "online_url": event.online_url,
            }
        )
    return captured


def capture_phase(*, phase: Phase, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
    """The events' `capture`: the phase's events as template data ({} without any)."""
    captured = capture_events(phase, zone)
    return {"events": captured} if captured else {}
