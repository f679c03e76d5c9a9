"""What a participation method declares for the dashboard ("metrics": counts of events over
time) and for the exports ("datasets": rows for a spreadsheet), in its manifest's `metrics` and
`exports`. The reports app (ratusz.consultations.reports) shows and exports them; the
declarations live here, below the methods, so that a method never imports the reports app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils.functional import Promise

from ratusz.consultations.core.models import Project


@dataclass(frozen=True)
class Scope:
    """What a staff member is looking at: the projects in view, and whether that is the whole
    city (an administrator without a project filter) so that city-wide figures apply."""

    projects: QuerySet[Project]
    whole_city: bool
    administrator: bool
    zone: ZoneInfo
    default_language: str  # the city's, for content written in several languages


@dataclass(frozen=True)
class Metric:
    """A count of events over time. `events(scope)` is a queryset of the events in scope;
    `time_field` dates them; `actor_field` names who acted (for "active participants")."""

    key: str
    label: Promise
    events: Callable[[Scope], QuerySet[Any]]
    time_field: str
    actor_field: str | None = None
    # City-wide only (e.g. registrations): not tied to a project, so shown only for the
    # whole city.
    city_wide: bool = False
    position: int = 100

    def applies_to(self, scope: Scope) -> bool:
        return scope.whole_city or not self.city_wide


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise


@dataclass(frozen=True)
class Dataset:
    """Rows that can be exported. `rows(scope)` yields one list per row, matching
    `columns(scope)`; `count(scope)` says how many there will be (for the progress)."""

    key: str
    label: Promise
    columns: Callable[[Scope], list[Column]]
    rows: Callable[[Scope], Iterable[list[Any]]]
    count: Callable[[Scope], int]
    empty_note: Promise
    administrators_only: bool = False
    position: int = 100

    def allowed_for(self, *, administrator: bool) -> bool:
        return administrator or not self.administrators_only


def local_time(value: datetime | None, zone: ZoneInfo) -> str:
    """A date and time as the city reads it, for exports (empty when there is none)."""
    if value is None:
        return ""
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")
