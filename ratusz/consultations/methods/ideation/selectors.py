"""Reads on ideas: lists (sorted, filtered, searched), the map, an idea's page, answer figures."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    Q,
    QuerySet,
    TextField,
    Value,
)

from ratusz.accounts.models import User
from ratusz.consultations.core.models import Project
from ratusz.consultations.core.rules import can_see_project, is_project_staff
from ratusz.consultations.methods.ideation.models import (
    Comment,
    Folded,
    Idea,
    IdeaStatus,
    StatusChange,
    Visibility,
)
from ratusz.tenants.cache import cached_for_city

SORTS = ("trending", "newest", "most_reacted", "most_commented")
# Each sort is one index of Idea (project, key descending, id descending): an index scan that
# stops after the page, however many ideas the project has. The id breaks ties so that pages
# never repeat or skip an idea.
ORDERINGS: dict[str, tuple[str, ...]] = {
    "trending": ("-trending", "-id"),
    "newest": ("-created_at", "-id"),
    "most_reacted": ("-reaction_count", "-id"),
    "most_commented": ("-comment_count", "-id"),
}


def visible_ideas(project: Project, viewer: User | Any) -> QuerySet[Idea]:
    """Ideas the viewer may see: everything for staff; published ones (and their own held or
    hidden ones) for everyone else."""
    ideas = Idea.objects.filter(project=project)
    if is_project_staff(viewer, project):
        return ideas
    visible = Q(visibility=Visibility.VISIBLE)
    if not getattr(viewer, "is_authenticated", False):
        return ideas.filter(visible)
    # A resident rarely has a held or hidden idea: naming those few by id keeps the common
    # case a plain "visible" filter, which the sort indexes serve without sorting.
    own_unpublished = list(
        Idea.objects.filter(project=project, author=viewer)
        .exclude(visibility=Visibility.VISIBLE)
        .values_list("pk", flat=True)
    )
    if not own_unpublished:
        return ideas.filter(visible)
    return ideas.filter(visible | Q(pk__in=own_unpublished))


def _search_query(term: str) -> SearchQuery:
    """The words of the term, as written (Polish, folded) or stemmed (English)."""
    folded = Func(Value(term), function="public.ratusz_unaccent", output_field=TextField())
    return SearchQuery(folded, config="simple", search_type="websearch") | SearchQuery(
        folded, config="english", search_type="websearch"
    )


def idea_list(
    *,
    project: Project,
    viewer: User | Any,
    sort: str | None = None,
    topic: str | None = None,
    status: str | None = None,
    search: str | None = None,
) -> QuerySet[Idea]:
    """The project's ideas the viewer may see, filtered, searched and sorted.

    Without a sort, search results come best match first (whole words before parts of words)
    and a plain list comes trending first."""
    # The search vector is read by PostgreSQL, never by a page.
    ideas = visible_ideas(project, viewer).select_related("status", "author").defer("search_vector")
    if topic:
        ideas = ideas.filter(
            pk__in=Idea.topics.through.objects.filter(topic__slug=topic).values("idea_id")
        )
    if status:
        ideas = ideas.filter(status__code=status)
    term = (search or "").strip()
    if term:
        query = _search_query(term)
        # Whole words through the stored search vector, parts of words ("fount", "lodz")
        # through the trigram indexes of the folded title and body.
        part = Folded(Value(term))
        ideas = ideas.alias(title_folded=Folded("title"), body_folded=Folded("body")).filter(
            Q(search_vector=query) | Q(title_folded__contains=part) | Q(body_folded__contains=part)
        )
        if sort not in ORDERINGS:
            return ideas.annotate(rank=SearchRank(F("search_vector"), query)).order_by(
                "-rank", "-id"
            )
    return ideas.order_by(*ORDERINGS.get(sort or "trending", ORDERINGS["trending"]))


def ideas_on_map(*, project: Project, viewer: User | Any) -> bytes:
    """The GeoJSON FeatureCollection of the visible ideas that have a location, encoded.

    One query of plain rows (no model instances). What everyone sees (the published ideas) is
    cached per city, encoded, until the city's content changes; staff get every idea, a
    signed-in resident also their own held or hidden ones, both read fresh."""
    located = Idea.objects.filter(project=project, latitude__isnull=False)
    if is_project_staff(viewer, project):
        return _feature_collection(_features(located))
    public: bytes = cached_for_city(
        f"ideas:map:{project.pk}",
        lambda: _feature_collection(_features(located.filter(visibility=Visibility.VISIBLE))),
    )
    if getattr(viewer, "is_authenticated", False):
        own = _features(located.filter(author=viewer).exclude(visibility=Visibility.VISIBLE))
        if own:  # rare: decoding the public part again is cheaper than caching per person
            return _feature_collection(json.loads(public)["features"] + own)
    return public


def _feature_collection(features: list[dict[str, Any]]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _features(ideas: QuerySet[Idea]) -> list[dict[str, Any]]:
    rows = ideas.order_by("-created_at", "-pk").values_list(
        "pk", "title", "latitude", "longitude", "status__code"
    )
    return [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [float(longitude or 0), float(latitude or 0)],
            },
            "properties": {"id": pk, "title": title, "status": status},
        }
        for pk, title, latitude, longitude, status in rows
    ]


def visible_comments(idea: Idea, viewer: User | Any) -> QuerySet[Comment]:
    comments = idea.comments.select_related("author")
    if is_project_staff(viewer, idea.project):
        return comments
    mine = Q(author=viewer) if getattr(viewer, "is_authenticated", False) else Q(pk__in=[])
    return comments.filter(Q(visibility=Visibility.VISIBLE) | mine)


def status_history(idea: Idea) -> QuerySet[StatusChange]:
    """The idea's statuses and official answers, newest first."""
    return idea.status_changes.select_related("status", "answered_by")


def statuses() -> QuerySet[IdeaStatus]:
    return IdeaStatus.objects.all()


@dataclass(frozen=True)
class AnswerFigures:
    ideas: int
    answered: int
    median_time_to_answer: timedelta | None


class Median(Aggregate):
    """PostgreSQL's continuous median of an expression (NULLs left out)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def answer_figures(project: Project) -> AnswerFigures:
    """How many published ideas got an official answer, and how fast (median), cached per
    city until the city's content changes."""
    figures: AnswerFigures = cached_for_city(
        f"ideas:answer-figures:{project.pk}",
        lambda: answer_figures_of(Idea.objects.filter(project=project)),
    )
    return figures


def answer_figures_of(ideas: QuerySet[Idea]) -> AnswerFigures:
    """The answer figures of the published ones among `ideas`: one aggregate query, the median
    time to the first answer computed by PostgreSQL."""
    time_to_answer = ExpressionWrapper(
        F("first_answered_at") - F("created_at"), output_field=DurationField()
    )
    row = ideas.filter(visibility=Visibility.VISIBLE).aggregate(
        ideas=Count("pk"),
        answered=Count("pk", filter=Q(first_answered_at__isnull=False)),
        median=Median(time_to_answer, output_field=DurationField()),
    )
    return AnswerFigures(
        ideas=row["ideas"], answered=row["answered"], median_time_to_answer=row["median"]
    )


def latest_ideas(*, viewer: User | Any, projects: list[Project], limit: int = 6) -> list[Idea]:
    """The newest published ideas of projects the viewer can see."""
    if not projects:
        return []
    return list(
        Idea.objects.filter(project__in=projects, visibility=Visibility.VISIBLE)
        .select_related("project", "status", "author")
        .order_by("-created_at")[:limit]
    )


def idea_for(viewer: User | Any, idea_id: int) -> Idea | None:
    """The idea if the viewer may see it: published ones in visible projects; held or hidden
    ones only for their author and the project's staff."""
    idea = (
        Idea.objects.select_related("project", "phase", "status", "author")
        .filter(pk=idea_id)
        .first()
    )
    if idea is None:
        return None
    # The phase's project is the idea's: rules that start from the phase need no query of it.
    idea.phase.project = idea.project
    if not can_see_project(viewer, idea.project):
        return None
    if idea.visibility == Visibility.VISIBLE or is_project_staff(viewer, idea.project):
        return idea
    if getattr(viewer, "is_authenticated", False) and idea.author_id == viewer.pk:
        return idea
    return None


def usage_counts() -> dict[str, int]:
    """Ideation's part of the city's usage (its manifest's `usage_counts`)."""
    return {"ideas": Idea.objects.count()}
