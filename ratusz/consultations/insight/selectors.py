"""Reads for themes: what a project's people said (the texts to analyse), its themes with their
members, and its analyses."""

from __future__ import annotations

import html
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from ratusz.consultations.core.models import Project
from ratusz.consultations.core.richtext import plain_text
from ratusz.consultations.insight.models import RunStatus, Theme, ThemeMember, ThemeRun
from ratusz.consultations.methods.ideation.models import Comment, Idea, Visibility


@dataclass(frozen=True)
class Document:
    key: str  # "i12" (idea) or "c40" (comment)
    idea_id: int | None
    comment_id: int | None
    text: str


def project_documents(project: Project) -> list[Document]:
    """The public ideas of a project (title and description) and their public comments; what
    moderators held or hid is left out, as the public does not see it either."""
    ideas = Idea.objects.filter(project=project, visibility=Visibility.VISIBLE).order_by("pk")
    documents = [
        Document(
            key=f"i{idea.pk}",
            idea_id=idea.pk,
            comment_id=None,
            text=f"{idea.title}. {html.unescape(plain_text(idea.body))}",
        )
        for idea in ideas.only("pk", "title", "body")
    ]
    comments = Comment.objects.filter(idea__in=ideas, visibility=Visibility.VISIBLE).order_by("pk")
    documents += [
        Document(key=f"c{c.pk}", idea_id=None, comment_id=c.pk, text=c.body)
        for c in comments.only("pk", "body")
    ]
    return documents


def themes_of(project: Project) -> QuerySet[Theme]:
    members = ThemeMember.objects.select_related("idea", "comment__idea").order_by("pk")
    return (
        Theme.objects.filter(project=project)
        .annotate(size=Count("members"))
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("position", "pk")
    )


def latest_run(project: Project) -> ThemeRun | None:
    return ThemeRun.objects.filter(project=project).order_by("-created_at", "-pk").first()


def pending_run(project: Project) -> ThemeRun | None:
    return (
        ThemeRun.objects.filter(project=project, status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
        .order_by("-pk")
        .first()
    )


def member_keys(project: Project) -> dict[int, set[str]]:
    """Each current theme's members as "i<id>"/"c<id>" keys (how runs are compared)."""
    keys: dict[int, set[str]] = {}
    for theme_id, idea_id, comment_id in ThemeMember.objects.filter(
        theme__project=project
    ).values_list("theme_id", "idea_id", "comment_id"):
        keys.setdefault(theme_id, set()).add(
            f"i{idea_id}" if idea_id is not None else f"c{comment_id}"
        )
    return keys


def projects_with_themes(projects: QuerySet[Project]) -> QuerySet[Project]:
    return projects.annotate(theme_count=Count("themes", distinct=True)).order_by("position", "pk")
