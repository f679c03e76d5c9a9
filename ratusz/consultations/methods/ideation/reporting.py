"""Ideation's figures for the dashboard (ideas, comments, reactions over time) and its exports
(ideas, comments, reactions), declared in its manifest's `metrics` and `exports`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusz.accounts.models import User
from ratusz.consultations.core.reporting import Column, Dataset, Metric, Scope, local_time
from ratusz.consultations.core.richtext import plain_text
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.ideation.models import Comment, Idea, Reaction, Visibility

# Rows are read in chunks so that a large export does not hold a city in memory.
CHUNK = 500


def _ideas(scope: Scope) -> QuerySet[Idea]:
    return Idea.objects.filter(project__in=scope.projects)


def _published_ideas(scope: Scope) -> QuerySet[Idea]:
    return _ideas(scope).filter(visibility=Visibility.VISIBLE)


def _comments(scope: Scope) -> QuerySet[Comment]:
    return Comment.objects.filter(idea__project__in=scope.projects)


def _published_comments(scope: Scope) -> QuerySet[Comment]:
    return _comments(scope).filter(visibility=Visibility.VISIBLE)


def _reactions(scope: Scope) -> QuerySet[Reaction]:
    return Reaction.objects.filter(idea__project__in=scope.projects)


# --- metrics -------------------------------------------------------------------------------

IDEAS = Metric(
    key="ideas",
    label=gettext_lazy("Ideas"),
    events=_published_ideas,
    time_field="created_at",
    actor_field="author",
    position=30,
)
COMMENTS = Metric(
    key="comments",
    label=gettext_lazy("Comments"),
    events=_published_comments,
    time_field="created_at",
    actor_field="author",
    position=40,
)
REACTIONS = Metric(
    key="reactions",
    label=gettext_lazy("Reactions"),
    events=_reactions,
    time_field="created_at",
    actor_field="user",
    position=50,
)


# --- datasets ------------------------------------------------------------------------------


def _project_title(project: Any, scope: Scope) -> str:
    return translated(project.title, scope.default_language) if project is not None else ""


def _author_name(user: User | None) -> str:
    if user is None:
        return _("(account deleted)")
    return user.full_name or _("(no name)")


def _idea_columns(scope: Scope) -> list[Column]:
    columns = [
        Column("id", gettext_lazy("Idea number")),
        Column("project", gettext_lazy("Project")),
        Column("title", gettext_lazy("Title")),
        Column("description", gettext_lazy("Description")),
        Column("status", gettext_lazy("Status")),
        Column("visibility", gettext_lazy("Visibility")),
        Column("author", gettext_lazy("Author")),
    ]
    if scope.administrator:
        columns.append(Column("author_email", gettext_lazy("Author's e-mail")))
    columns += [
        Column("posted", gettext_lazy("Posted")),
        Column("first_answer", gettext_lazy("First official answer")),
        Column("likes", gettext_lazy("Likes")),
        Column("dislikes", gettext_lazy("Dislikes")),
        Column("comments", gettext_lazy("Comments")),
        Column("topics", gettext_lazy("Topics")),
        Column("place", gettext_lazy("Place")),
        Column("latitude", gettext_lazy("Latitude")),
        Column("longitude", gettext_lazy("Longitude")),
    ]
    return columns


def _idea_rows(scope: Scope) -> Iterator[list[Any]]:
    ideas = (
        _ideas(scope)
        .select_related("project", "status", "author")
        .prefetch_related("topics")
        .order_by("created_at", "pk")
    )
    for idea in ideas.iterator(chunk_size=CHUNK):
        # Never reveal who posted anonymously, whoever reads the export.
        author = _("Anonymous") if idea.anonymous else _author_name(idea.author)
        row: list[Any] = [
            idea.pk,
            _project_title(idea.project, scope),
            idea.title,
            plain_text(idea.body),
            translated(idea.status.name, scope.default_language) or idea.status.code,
            Visibility(idea.visibility).label,
            author,
        ]
        if scope.administrator:
            row.append("" if idea.anonymous or idea.author is None else idea.author.email)
        row += [
            local_time(idea.created_at, scope.zone),
            local_time(idea.first_answered_at, scope.zone),
            idea.likes,
            idea.dislikes,
            idea.comment_count,
            ", ".join(
                translated(t.name, scope.default_language) or t.slug for t in idea.topics.all()
            ),
            idea.address,
            idea.latitude,
            idea.longitude,
        ]
        yield row


def _comment_columns(scope: Scope) -> list[Column]:
    columns = [
        Column("id", gettext_lazy("Comment number")),
        Column("idea", gettext_lazy("Idea number")),
        Column("idea_title", gettext_lazy("Idea")),
        Column("project", gettext_lazy("Project")),
        Column("reply_to", gettext_lazy("Reply to comment")),
        Column("comment", gettext_lazy("Comment")),
        Column("visibility", gettext_lazy("Visibility")),
        Column("author", gettext_lazy("Author")),
    ]
    if scope.administrator:
        columns.append(Column("author_email", gettext_lazy("Author's e-mail")))
    columns.append(Column("posted", gettext_lazy("Posted")))
    return columns


def _comment_rows(scope: Scope) -> Iterator[list[Any]]:
    comments = (
        _comments(scope)
        .select_related("idea", "idea__project", "author")
        .order_by("created_at", "pk")
    )
    for comment in comments.iterator(chunk_size=CHUNK):
        row: list[Any] = [
            comment.pk,
            comment.idea_id,
            comment.idea.title,
            _project_title(comment.idea.project, scope),
            comment.parent_id or "",
            comment.body,
            Visibility(comment.visibility).label,
            _author_name(comment.author),
        ]
        if scope.administrator:
            row.append(comment.author.email if comment.author else "")
        row.append(local_time(comment.created_at, scope.zone))
        yield row


def _reaction_columns(scope: Scope) -> list[Column]:
    # Who reacted is not exported: reactions are counted, not attributed.
    return [
        Column("idea", gettext_lazy("Idea number")),
        Column("idea_title", gettext_lazy("Idea")),
        Column("project", gettext_lazy("Project")),
        Column("reaction", gettext_lazy("Reaction")),
        Column("when", gettext_lazy("When")),
    ]


def _reaction_rows(scope: Scope) -> Iterator[list[Any]]:
    reactions = (
        _reactions(scope).select_related("idea", "idea__project").order_by("created_at", "pk")
    )
    for reaction in reactions.iterator(chunk_size=CHUNK):
        yield [
            reaction.idea_id,
            reaction.idea.title,
            _project_title(reaction.idea.project, scope),
            Reaction.Kind(reaction.kind).label,
            local_time(reaction.created_at, scope.zone),
        ]


IDEA_DATASET = Dataset(
    key="ideas",
    label=gettext_lazy("Ideas"),
    columns=_idea_columns,
    rows=_idea_rows,
    count=lambda scope: _ideas(scope).count(),
    empty_note=gettext_lazy("There are no ideas here yet: the file has only the column headers."),
    position=10,
)
COMMENT_DATASET = Dataset(
    key="comments",
    label=gettext_lazy("Comments"),
    columns=_comment_columns,
    rows=_comment_rows,
    count=lambda scope: _comments(scope).count(),
    empty_note=gettext_lazy(
        "There are no comments here yet: the file has only the column headers."
    ),
    position=20,
)
REACTION_DATASET = Dataset(
    key="reactions",
    label=gettext_lazy("Reactions"),
    columns=_reaction_columns,
    rows=_reaction_rows,
    count=lambda scope: _reactions(scope).count(),
    empty_note=gettext_lazy(
        "There are no reactions here yet: the file has only the column headers."
    ),
    position=30,
)
