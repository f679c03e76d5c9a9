"""Reads for the dashboard: participation over time, the feedback loop, and the scope a staff
member may see. Every figure is computed inside the current city's schema, from the projects
the viewer may manage."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet
from django.db.models.functions import Trunc
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.accounts.rules import is_administrator
from ratusz.consultations.core.access import managed_projects
from ratusz.consultations.core.models import Project
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.ideation.models import Idea, IdeaStatus, Visibility
from ratusz.consultations.methods.ideation.selectors import (
    AnswerFigures,
    answer_figures,
    answer_figures_of,
)
from ratusz.consultations.reports import registry
from ratusz.consultations.reports.models import Export
from ratusz.consultations.reports.registry import Scope

INTERVALS = ("day", "week", "month")


def scope_for(
    user: User, *, project: Project | None, time_zone: str, default_language: str
) -> Scope:
    """What `user` may look at: one of their projects, or all of them. `project` must be one
    the user may manage (forms check it); anything else gives an empty scope."""
    projects = managed_projects(user)
    if project is not None:
        projects = projects.filter(pk=project.pk)
    admin = is_administrator(user)
    return Scope(
        projects=projects,
        whole_city=admin and project is None,
        administrator=admin,
        zone=ZoneInfo(time_zone),
        default_language=default_language,
    )


# --- participation over time ---------------------------------------------------------------


def bucket_starts(start: date, end: date, interval: str) -> list[date]:
    """The first day of every day, week (Monday) or month from `start` to `end`."""
    if interval == "day":
        first = start
    elif interval == "week":
        first = start - timedelta(days=start.weekday())
    else:
        first = start.replace(day=1)
    starts = []
    current = first
    while current <= end:
        starts.append(current)
        if interval == "day":
            current += timedelta(days=1)
        elif interval == "week":
            current += timedelta(days=7)
        else:
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    return starts


def bucket_label(start: date, interval: str) -> str:
    if interval == "month":
        return start.strftime("%Y-%m")
    return start.isoformat()


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: list[int]
    total: int
    note: str = ""


@dataclass(frozen=True)
class Participation:
    interval: str
    buckets: list[date]
    series: list[Series] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [bucket_label(b, self.interval) for b in self.buckets]


def _window(start: date, end: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """From the city's midnight on `start` to its midnight after `end`."""
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _bucketed(
    events: QuerySet[Any], time_field: str, interval: str, zone: ZoneInfo, *values: str
) -> QuerySet[Any]:
    return events.annotate(bucket=Trunc(time_field, interval, tzinfo=zone)).values_list(
        "bucket", *values
    )


def participation(*, scope: Scope, start: date, end: date, interval: str) -> Participation:
    """Counts per day, week or month (in the city's time zone) of every registered metric
    that applies to the scope, and the active participants: distinct people who did any of
    them in that period."""
    zone = scope.zone
    buckets = bucket_starts(start, end, interval)
    index = {b: i for i, b in enumerate(buckets)}
    since, until = _window(start, end, zone)
    series: list[Series] = []
    actors_by_bucket: dict[int, set[int]] = defaultdict(set)
    actors_overall: set[int] = set()
    for metric in registry.metrics():
        if not metric.applies_to(scope):
            continue
        in_window = metric.events(scope).filter(
            **{f"{metric.time_field}__gte": since, f"{metric.time_field}__lt": until}
        )
        counts = [0] * len(buckets)
        rows = _bucketed(in_window, metric.time_field, interval, zone).annotate(n=Count("pk"))
        for bucket, n in rows.order_by():
            position = index.get(bucket.astimezone(zone).date())
            if position is not None:
                counts[position] += n
        series.append(Series(metric.key, str(metric.label), counts, sum(counts)))
        if metric.actor_field:
            actor = f"{metric.actor_field}_id"
            pairs = (
                _bucketed(in_window, metric.time_field, interval, zone, actor)
                .filter(**{f"{actor}__isnull": False})
                .order_by()
                .distinct()
            )
            for bucket, person in pairs:
                position = index.get(bucket.astimezone(zone).date())
                if position is not None:
                    actors_by_bucket[position].add(person)
                    actors_overall.add(person)
    active = Series(
        "participants",
        _("Active participants"),
        [len(actors_by_bucket[i]) for i in range(len(buckets))],
        len(actors_overall),
        note=_("People who posted, commented or reacted; each counted once per period."),
    )
    return Participation(interval, buckets, [active, *series])


# --- the feedback loop ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFeedback:
    project: Project
    title: str
    figures: AnswerFigures


@dataclass(frozen=True)
class StatusCount:
    code: str
    name: str
    color: str
    ideas: int


@dataclass(frozen=True)
class Feedback:
    total: AnswerFigures
    projects: list[ProjectFeedback]
    statuses: list[StatusCount]


def answered_share(figures: AnswerFigures) -> float | None:
    """The share (0..1) of published ideas with an official answer; None without ideas."""
    return figures.answered / figures.ideas if figures.ideas else None


def feedback(*, scope: Scope) -> Feedback:
    """How the city answers: per project (the figures its project page shows, from
    ideation's `answer_figures`), all projects in scope together, and ideas per status."""
    projects = list(scope.projects.order_by("position", "pk"))
    per_project = [
        ProjectFeedback(p, translated(p.title, scope.default_language), answer_figures(p))
        for p in projects
    ]
    # The same definition as answer_figures (published ideas, time to the first answer),
    # over every project in scope: a median of medians would not be the median.
    published = Idea.objects.filter(project__in=scope.projects, visibility=Visibility.VISIBLE)
    total = answer_figures_of(published)
    counts = dict(
        published.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    statuses = [
        StatusCount(
            s.code,
            translated(s.name, scope.default_language) or s.code,
            s.color,
            counts.get(s.pk, 0),
        )
        for s in IdeaStatus.objects.all()
    ]
    return Feedback(total=total, projects=per_project, statuses=statuses)


# --- exports -------------------------------------------------------------------------------


def exports_of(user: User) -> QuerySet[Export]:
    """A staff member's own exports, newest first."""
    return Export.objects.filter(requested_by=user).select_related("project")


def export_for(user: User, export_id: int) -> Export | None:
    """The export if `user` asked for it and may still see its project; None otherwise (so
    that nobody learns whether another person's export exists)."""
    export = exports_of(user).filter(pk=export_id).first()
    if export is None:
        return None
    if (
        export.project_id is not None
        and not managed_projects(user).filter(pk=export.project_id).exists()
    ):
        return None
    dataset = registry.dataset(export.kind)
    if dataset is None or not dataset.allowed_for(administrator=is_administrator(user)):
        return None
    return export
