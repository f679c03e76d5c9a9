"""Writes on events: staff create and change them; residents register and cancel.

Registering and cancelling lock the event's row, so two people taking the last seat at once
(or a cancellation racing a registration) never overfill an event or skip the waiting list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.core.models import Phase, Project
from ratusz.consultations.core.richtext import sanitize
from ratusz.consultations.methods.events.models import Event, Registration, RegistrationStatus
from ratusz.consultations.methods.events.rules import can_register
from ratusz.consultations.participation.refusals import NotAllowed, Refused
from ratusz.tenants.queue import enqueue_on_commit

__all__ = [
    "EventDetails",
    "NotAllowed",
    "Refused",
    "cancel_registration",
    "create_event",
    "register",
    "update_event",
]


@dataclass(frozen=True)
class EventDetails:
    """What the city writes about an event. Texts hold one value per city language
    ({"pl": ..., "en": ...}); shown in the visitor's language, else the city's default."""

    title: dict[str, str]
    starts_at: datetime
    ends_at: datetime
    description: dict[str, str] = field(default_factory=dict)  # HTML, sanitised on save
    place: dict[str, str] = field(default_factory=dict)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    online_url: str = ""
    capacity: int | None = None


def _texts(values: dict[str, str]) -> dict[str, str]:
    """Languages left empty are dropped: they fall back to the city's default language."""
    return {code: text.strip() for code, text in values.items() if text and text.strip()}


def _check(details: EventDetails) -> None:
    if not _texts(details.title):
        raise Refused(_("Give the event a title."))
    if details.ends_at <= details.starts_at:
        raise Refused(_("An event must end after it starts: check the end date and time."))
    if details.capacity is not None and details.capacity < 1:
        raise Refused(_("The capacity must be at least 1 (leave it empty for no limit)."))
    if (details.latitude is None) != (details.longitude is None):
        raise Refused(_("Give both the latitude and the longitude of the place, or neither."))


def _fields(details: EventDetails) -> dict[str, object]:
    return {
        "title": _texts(details.title),
        "description": {code: sanitize(text) for code, text in _texts(details.description).items()},
        "starts_at": details.starts_at,
        "ends_at": details.ends_at,
        "place": _texts(details.place),
        "latitude": details.latitude,
        "longitude": details.longitude,
        "online_url": details.online_url,
        "capacity": details.capacity,
    }


def create_event(*, details: EventDetails, phase: Phase | None = None) -> Event:
    """An event in an events phase of a project, or a city-wide one (no phase)."""
    _check(details)
    if phase is not None and phase.method != "events":
        raise Refused(_("Events can only be added to a phase of the events method."))
    project: Project | None = phase.project if phase is not None else None
    with transaction.atomic():
        return Event.objects.create(project=project, phase=phase, **_fields(details))


def update_event(*, event: Event, details: EventDetails) -> Event:
    """Change an event; when the capacity grows, people waiting get the new seats."""
    _check(details)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        for name, value in _fields(details).items():
            setattr(event, name, value)
        event.save()
        _promote_waiting(event)
    return event


def _registered_count(event: Event) -> int:
    return Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count()


def _promote_waiting(event: Event) -> list[Registration]:
    """Give free seats to the people waiting longest (the event row is locked by the caller)."""
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - _registered_count(event)
        if free <= 0:
            return []
    waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITING).order_by(
        "created_at", "pk"
    )
    promoted = list(waiting if free is None else waiting[:free])
    now = timezone.now()
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        enqueue_on_commit("events.send_promotion_email", registration.pk)
    return promoted


def register(*, user: User, event: Event, now: datetime | None = None) -> Registration:
    """Take a seat at `event`, or a place on its waiting list when it is full."""
    decision = can_register(user, event, now=now)
    if not decision.allowed:
        raise NotAllowed(decision)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        existing = Registration.objects.filter(event=event, user=user).first()
        if existing is not None:
            raise Refused(
                _("You are already registered for this event.")
                if existing.status == RegistrationStatus.REGISTERED
                else _("You are already on the waiting list of this event.")
            )
        full = event.capacity is not None and _registered_count(event) >= event.capacity
        if full and event.phase is not None and not event.phase.options.get("waiting_list", True):
            raise Refused(_("This event is full."))
        try:
            with transaction.atomic():
                return Registration.objects.create(
                    event=event,
                    user=user,
                    status=RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED,
                )
        except IntegrityError as exc:  # a double click that slipped past the check
            raise Refused(_("You are already registered for this event.")) from exc


def cancel_registration(*, user: User, event: Event, now: datetime | None = None) -> None:
    """Give up one's seat (the first person waiting gets it) or one's waiting-list place."""
    now = now or timezone.now()
    if event.starts_at <= now:
        raise Refused(_("This event has already started, so registration is closed."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        deleted, _rows = Registration.objects.filter(event=event, user=user).delete()
        if not deleted:
            raise Refused(_("You are not registered for this event."))
        _promote_waiting(event)


def release_seats_of_deleted_account(user: User) -> None:
    """Account deletion hook: the person's places in upcoming events go to whoever waits
    (registrations to past events go with the account)."""
    now = timezone.now()
    upcoming = Event.objects.filter(registrations__user=user, starts_at__gt=now).distinct()
    for event in upcoming:
        cancel_registration(user=user, event=event, now=now)
