"""Reads on events: what a visitor may see, who is registered, which reminders are due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ratusz.consultations.core.models import Phase, Project
from ratusz.consultations.core.rules import AnyUser, can_see_project
from ratusz.consultations.methods.events.models import Event, Registration, RegistrationStatus

# The reminder goes out once the event is less than a day away.
REMINDER_AHEAD = timedelta(hours=24)


def with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        ),
        waiting_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
        ),
    )


def _visible_project_ids(user: AnyUser) -> list[int]:
    # Visibility depends on groups and roles (rules.can_see_project), so it is asked per project;
    # a city has tens of projects, not thousands.
    return [project.pk for project in Project.objects.all() if can_see_project(user, project)]


def visible_events(user: AnyUser) -> QuerySet[Event]:
    """The events a visitor may see: city-wide ones, and those of projects open to them."""
    return with_counts(
        Event.objects.filter(Q(project__isnull=True) | Q(project__in=_visible_project_ids(user)))
    ).select_related("project", "phase")


def upcoming_events(user: AnyUser, *, now: datetime | None = None) -> QuerySet[Event]:
    return visible_events(user).filter(ends_at__gt=now or timezone.now())


def event_for(user: AnyUser, event_id: int) -> Event | None:
    return visible_events(user).filter(pk=event_id).first()


def phase_events(phase: Phase) -> QuerySet[Event]:
    return with_counts(Event.objects.filter(phase=phase)).select_related("project", "phase")


def registration_of(user: AnyUser, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def registrations_by_event(user: AnyUser, events: list[Event]) -> dict[int, Registration]:
    if not user.is_authenticated:
        return {}
    return {
        r.event_id: r
        for r in Registration.objects.filter(user=user, event__in=[e.pk for e in events])
    }


def attendance(event: Event) -> QuerySet[Registration]:
    """Everyone registered or waiting, in the order they came (for staff)."""
    return (
        Registration.objects.filter(event=event)
        .select_related("user")
        .order_by("status", "created_at", "pk")
    )


def waiting_position(registration: Registration) -> int:
    """1 for the first person on the waiting list."""
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=RegistrationStatus.WAITING,
            created_at__lte=registration.created_at,
        )
        .exclude(Q(created_at=registration.created_at) & Q(pk__gt=registration.pk))
        .count()
    )


def due_reminders(*, now: datetime) -> QuerySet[Registration]:
    """Registered places whose event starts within a day and whose reminder has not gone."""
    return Registration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        reminded_at__isnull=True,
        event__starts_at__gt=now,
        event__starts_at__lte=now + REMINDER_AHEAD,
        user__is_active=True,
    ).order_by("pk")


@dataclass(frozen=True)
class Seats:
    registered: int
    waiting: int
    capacity: int | None

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.registered, 0)


def seats(event: Event) -> Seats:
    counts = dict(
        Registration.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return Seats(
        registered=counts.get(RegistrationStatus.REGISTERED, 0),
        waiting=counts.get(RegistrationStatus.WAITING, 0),
        capacity=event.capacity,
    )
