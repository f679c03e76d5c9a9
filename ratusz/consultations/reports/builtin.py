"""The metrics and datasets of accounts and ideation (ideas, comments, reactions).

Registered when the app is ready (ReportsConfig.ready). A later participation method adds a
module like this one for its votes or answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ratusz.accounts.models import Role, User
from ratusz.consultations.core.richtext import plain_text
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.ideation.models import Comment, Idea, Reaction, Visibility
from ratusz.consultations.reports.registry import (
    Column,
    Dataset,
    Metric,
    Scope,
    local_time,
    register_dataset,
    register_metric,
)

# Rows are read in chunks so that a large export does not hold a city in memory.
CHUNK = 500


def _residents(scope: Scope) -> QuerySet[User]:
    return User.objects.filter(role=Role.RESIDENT)


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

REGISTRATIONS = Metric(
    key="registrations",
    label=_lazy("Registrations"),
    events=_residents,
    time_field="date_joined",
    city_wide=True,
    position=10,
)
IDEAS = Metric(
    key="ideas",
    label=_lazy("Ideas"),
    events=_published_ideas,
    time_field="created_at",
    actor_field="author",
    position=30,
)
COMMENTS = Metric(
    key="comments",
    label=_lazy("Comments"),
    events=_published_comments,
    time_field="created_at",
    actor_field="author",
    position=40,
)
REACTIONS = Metric(
    key="reactions",
    label=_lazy("Reactions"),
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
        Column("id", _lazy("Idea number")),
        Column("project", _lazy("Project")),
        Column("title", _lazy("Title")),
        Column("description", _lazy("Description")),
        Column("status", _lazy("Status")),
        Column("visibility", _lazy("Visibility")),
        Column("author", _lazy("Author")),
    ]
    if scope.administrator:
        columns.append(Column("author_email", _lazy("Author's e-mail")))
    columns += [
        Column("posted", _lazy("Posted")),
        Column("first_answer", _lazy("First official answer")),
        Column("likes", _lazy("Likes")),
        Column("dislikes", _lazy("Dislikes")),
        Column("comments", _lazy("Comments")),
        Column("topics", _lazy("Topics")),
        Column("place", _lazy("Place")),
        Column("latitude", _lazy("Latitude")),
        Column("longitude", _lazy("Longitude")),
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
        Column("id", _lazy("Comment number")),
        Column("idea", _lazy("Idea number")),
        Column("idea_title", _lazy("Idea")),
        Column("project", _lazy("Project")),
        Column("reply_to", _lazy("Reply to comment")),
        Column("comment", _lazy("Comment")),
        Column("visibility", _lazy("Visibility")),
        Column("author", _lazy("Author")),
    ]
    if scope.administrator:
        columns.append(Column("author_email", _lazy("Author's e-mail")))
    columns.append(Column("posted", _lazy("Posted")))
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
        Column("idea", _lazy("Idea number")),
        Column("idea_title", _lazy("Idea")),
        Column("project", _lazy("Project")),
        Column("reaction", _lazy("Reaction")),
        Column("when", _lazy("When")),
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


def _people_in_scope(scope: Scope) -> QuerySet[User]:
    """Residents: everyone for the whole city; for chosen projects, those who took part."""
    people = _residents(scope)
    if scope.whole_city:
        return people
    took_part = (
        Q(ideas__project__in=scope.projects)
        | Q(comments__idea__project__in=scope.projects)
        | Q(pk__in=_reactions(scope).values("user"))
    )
    return people.filter(took_part).distinct()


def _registration_fields() -> list[Any]:
    """The city's registration fields (ratusz.consultations.people), in their order."""
    from ratusz.consultations.people.selectors import all_fields

    return list(all_fields())


def _answers(user_ids: list[int]) -> dict[int, dict[str, str]]:
    """Registration answers of these people: user id -> field key -> answer."""
    from ratusz.consultations.people.models import FieldAnswer

    answers: dict[int, dict[str, str]] = {}
    for user_id, key, value in FieldAnswer.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "field__key", "value"
    ):
        answers.setdefault(user_id, {})[key] = value
    return answers


def _resident_columns(scope: Scope) -> list[Column]:
    columns = [
        Column("id", _lazy("Account number")),
        Column("name", _lazy("Name")),
        Column("email", _lazy("E-mail address")),
        Column("joined", _lazy("Registered")),
        Column("verified", _lazy("Verified resident since")),
        Column("language", _lazy("Language")),
        Column("ideas", _lazy("Ideas")),
        Column("comments", _lazy("Comments")),
    ]
    # Registration answers are personal data: residents are exported to administrators only
    # (the dataset says so), and only they see these columns.
    if scope.administrator:
        columns += [
            Column(f"field_{f.key}", translated(f.label, scope.default_language) or f.key)  # type: ignore[arg-type]  # a plain str label
            for f in _registration_fields()
        ]
    return columns


def _resident_rows(scope: Scope) -> Iterator[list[Any]]:
    # Counts of ideas include anonymous ones: the count is the person's own record, and it
    # does not say which idea was theirs.
    people = (
        _people_in_scope(scope)
        .annotate(
            idea_total=Count("ideas", distinct=True),
            comment_total=Count("comments", distinct=True),
        )
        .order_by("date_joined", "pk")
    )
    fields = [f.key for f in _registration_fields()] if scope.administrator else []
    chunk: list[Any] = []  # accounts annotated with idea_total and comment_total

    def flush() -> Iterator[list[Any]]:
        answers = _answers([p.pk for p in chunk]) if fields else {}
        for person in chunk:
            mine = answers.get(person.pk, {})
            yield [
                person.pk,
                person.full_name,
                person.email,
                local_time(person.date_joined, scope.zone),
                local_time(person.verified_at, scope.zone),
                person.language,
                person.idea_total,
                person.comment_total,
                *(mine.get(key, "") for key in fields),
            ]

    for person in people.iterator(chunk_size=CHUNK):
        chunk.append(person)
        if len(chunk) == CHUNK:
            yield from flush()
            chunk = []
    yield from flush()


IDEA_DATASET = Dataset(
    key="ideas",
    label=_lazy("Ideas"),
    columns=_idea_columns,
    rows=_idea_rows,
    count=lambda scope: _ideas(scope).count(),
    empty_note=_lazy("There are no ideas here yet: the file has only the column headers."),
    position=10,
)
COMMENT_DATASET = Dataset(
    key="comments",
    label=_lazy("Comments"),
    columns=_comment_columns,
    rows=_comment_rows,
    count=lambda scope: _comments(scope).count(),
    empty_note=_lazy("There are no comments here yet: the file has only the column headers."),
    position=20,
)
REACTION_DATASET = Dataset(
    key="reactions",
    label=_lazy("Reactions"),
    columns=_reaction_columns,
    rows=_reaction_rows,
    count=lambda scope: _reactions(scope).count(),
    empty_note=_lazy("There are no reactions here yet: the file has only the column headers."),
    position=30,
)
RESIDENT_DATASET = Dataset(
    key="residents",
    label=_lazy("Residents"),
    columns=_resident_columns,
    rows=_resident_rows,
    count=lambda scope: _people_in_scope(scope).count(),
    empty_note=_lazy("No residents match: the file has only the column headers."),
    administrators_only=True,
    position=40,
)


def register() -> None:
    for metric in (REGISTRATIONS, IDEAS, COMMENTS, REACTIONS):
        register_metric(metric)
    for dataset in (IDEA_DATASET, COMMENT_DATASET, REACTION_DATASET, RESIDENT_DATASET):
        register_dataset(dataset)
