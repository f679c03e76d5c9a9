"""The dashboard's metric and the export of event registrations (reports registry), and what
the "download my data" archive holds about a person's registrations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from ratusz.consultations.core.reporting import Column, Dataset, Metric, Scope, local_time
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.events.models import Registration, RegistrationStatus

CHUNK = 500


def _registrations(scope: Scope) -> QuerySet[Registration]:
    """Registrations for events of the projects in view; city-wide events for the whole city."""
    in_scope = Q(event__project__in=scope.projects)
    if scope.whole_city:
        in_scope |= Q(event__project__isnull=True)
    return Registration.objects.filter(in_scope)


def _columns(scope: Scope) -> list[Column]:
    columns = [
        Column("event", gettext_lazy("Event number")),
        Column("event_title", gettext_lazy("Event")),
        Column("project", gettext_lazy("Project")),
        Column("starts", gettext_lazy("Starts")),
        Column("name", gettext_lazy("Name")),
    ]
    if scope.administrator:
        columns.append(Column("email", gettext_lazy("E-mail")))
    columns += [
        Column("status", gettext_lazy("Status")),
        Column("registered", gettext_lazy("Registered")),
    ]
    return columns


def _rows(scope: Scope) -> Iterator[list[Any]]:
    registrations = (
        _registrations(scope)
        .select_related("event__project", "user")
        .order_by("event__starts_at", "event_id", "created_at", "pk")
    )
    for registration in registrations.iterator(chunk_size=CHUNK):
        event = registration.event
        row: list[Any] = [
            event.pk,
            translated(event.title, scope.default_language),
            translated(event.project.title, scope.default_language) if event.project else "",
            local_time(event.starts_at, scope.zone),
            registration.user.full_name,
        ]
        if scope.administrator:
            row.append(registration.user.email)
        row += [
            RegistrationStatus(registration.status).label,
            local_time(registration.created_at, scope.zone),
        ]
        yield row


REGISTRATIONS = Metric(
    key="event_registrations",
    label=gettext_lazy("Event registrations"),
    events=_registrations,
    time_field="created_at",
    actor_field="user",
    position=70,
)

DATASET = Dataset(
    key="event_registrations",
    label=gettext_lazy("Event registrations"),
    columns=_columns,
    rows=_rows,
    count=lambda scope: _registrations(scope).count(),
    empty_note=gettext_lazy(
        "Nobody has registered for an event yet: the file has only the column headers."
    ),
    position=70,
)
