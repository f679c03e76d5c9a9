"""The city's own figure and export that belong to no participation method: registrations
over time and the residents. Registered when the app is ready (ReportsConfig.ready); each
method declares its own in its manifest (`metrics`, `exports`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy

from ratusz.accounts.models import Role, User
from ratusz.consultations.core.reporting import Column, Dataset, Metric, Scope, local_time
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.ideation.models import Reaction
from ratusz.consultations.people.models import FieldAnswer
from ratusz.consultations.people.selectors import all_fields
from ratusz.consultations.reports.registry import register_dataset, register_metric

# Rows are read in chunks so that a large export does not hold a city in memory.
CHUNK = 500


def _residents(scope: Scope) -> QuerySet[User]:
    return User.objects.filter(role=Role.RESIDENT)


def _reactions(scope: Scope) -> QuerySet[Reaction]:
    return Reaction.objects.filter(idea__project__in=scope.projects)


# --- metrics -------------------------------------------------------------------------------

REGISTRATIONS = Metric(
    key="registrations",
    label=gettext_lazy("Registrations"),
    events=_residents,
    time_field="date_joined",
    city_wide=True,
    position=10,
)


# --- datasets ------------------------------------------------------------------------------


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
    return list(all_fields())


def _answers(user_ids: list[int]) -> dict[int, dict[str, str]]:
    """Registration answers of these people: user id -> field key -> answer."""
    answers: dict[int, dict[str, str]] = {}
    for user_id, key, value in FieldAnswer.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "field__key", "value"
    ):
        answers.setdefault(user_id, {})[key] = value
    return answers


def _resident_columns(scope: Scope) -> list[Column]:
    columns = [
        Column("id", gettext_lazy("Account number")),
        Column("name", gettext_lazy("Name")),
        Column("email", gettext_lazy("E-mail address")),
        Column("joined", gettext_lazy("Registered")),
        Column("verified", gettext_lazy("Verified resident since")),
        Column("language", gettext_lazy("Language")),
        Column("ideas", gettext_lazy("Ideas")),
        Column("comments", gettext_lazy("Comments")),
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


RESIDENT_DATASET = Dataset(
    key="residents",
    label=gettext_lazy("Residents"),
    columns=_resident_columns,
    rows=_resident_rows,
    count=lambda scope: _people_in_scope(scope).count(),
    empty_note=gettext_lazy("No residents match: the file has only the column headers."),
    administrators_only=True,
    position=40,
)


def register() -> None:
    register_metric(REGISTRATIONS)
    register_dataset(RESIDENT_DATASET)
