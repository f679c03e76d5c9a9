"""Back-office pages of events: list, create, change, who registered, attendance export.
Administrators manage every event (city-wide ones too); project managers those of their
projects, and see no other (404)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.core.access import (
    managed_projects,
    refuse_writes_to_read_only,
    staff_required,
)
from ratusz.consultations.core.http import city_of
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.rules import is_administrator
from ratusz.consultations.methods.events import selectors, services
from ratusz.consultations.methods.events.forms import EventForm
from ratusz.consultations.methods.events.models import Event, RegistrationStatus
from ratusz.spreadsheets import SafeCSVWriter


def _staff(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # staff_required let only staff in
    return user


def managed_events(user: User) -> QuerySet[Event]:
    scope = Q(project__in=managed_projects(user))
    if is_administrator(user):
        scope |= Q(project__isnull=True)
    return selectors.with_counts(Event.objects.filter(scope)).select_related("project", "phase")


def _managed_event(request: HttpRequest, event_id: int) -> Event:
    """An event this staff member manages (404 otherwise); a POST changing an event of a
    read-only project is refused here. City-wide events belong to no project: never read-only."""
    event = managed_events(_staff(request)).filter(pk=event_id).first()
    if event is None:
        raise Http404
    refuse_writes_to_read_only(request, event.project)
    return event


def _events_phases(user: User) -> QuerySet[Phase]:
    return Phase.objects.filter(method="events", project__in=managed_projects(user)).order_by(
        "project_id", "starts_at"
    )


@staff_required
def event_list(request: HttpRequest, phase_id: int | None = None) -> HttpResponse:
    user = _staff(request)
    events = managed_events(user).order_by("-starts_at")
    phase = None
    if phase_id is not None:
        phase = _events_phases(user).filter(pk=phase_id).first()
        if phase is None:
            raise Http404
        events = events.filter(phase=phase)
    with timezone.override(city_of(request).time_zone):
        return render(request, "backoffice/events/list.html", {"events": events, "phase": phase})


def _form(
    request: HttpRequest, user: User, event: Event | None = None, **kwargs: object
) -> EventForm:
    city = city_of(request)
    return EventForm(
        request.POST if request.method == "POST" else None,
        phases=_events_phases(user),
        city_wide_allowed=is_administrator(user),
        languages=tuple(city.languages),
        default_language=city.default_language,
        event=event,
        **kwargs,
    )


@staff_required
def event_create(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    with timezone.override(city_of(request).time_zone):
        form = _form(request, user, initial={"phase": request.GET.get("phase")})
        if request.method == "POST" and form.is_valid():
            phase = form.cleaned_data.get("phase")
            refuse_writes_to_read_only(request, phase.project if phase is not None else None)
            try:
                event = services.create_event(details=form.details(), phase=phase)
            except services.Refused as problem:
                form.add_error(None, str(problem))
            else:
                messages.success(request, _("The event is published."))
                return redirect("backoffice:events-edit", event_id=event.pk)
        status = 400 if request.method == "POST" else 200
        return render(
            request, "backoffice/events/form.html", {"form": form, "event": None}, status=status
        )


@staff_required
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    user = _staff(request)
    event = _managed_event(request, event_id)
    with timezone.override(city_of(request).time_zone):
        initial = {
            "phase": event.phase_id,
            "starts_at": timezone.localtime(event.starts_at),
            "ends_at": timezone.localtime(event.ends_at),
            "latitude": event.latitude,
            "longitude": event.longitude,
            "online_url": event.online_url,
            "capacity": event.capacity,
        }
        form = _form(request, user, event=event, initial=initial)
        # The phase of an existing event stays: registrations were made under its rules.
        form.fields["phase"].disabled = True
        if request.method == "POST" and form.is_valid():
            try:
                services.update_event(event=event, details=form.details())
            except services.Refused as problem:
                form.add_error(None, str(problem))
            else:
                messages.success(request, _("The event is saved."))
                return redirect("backoffice:events-edit", event_id=event.pk)
        status = 400 if request.method == "POST" else 200
        return render(
            request,
            "backoffice/events/form.html",
            {
                "form": form,
                "event": event,
                "seats": selectors.seats(event),
                "attendance": selectors.attendance(event),
            },
            status=status,
        )


@staff_required
def attendance_csv(request: HttpRequest, event_id: int) -> HttpResponse:
    """Who registered (and who waits), for the sign-in sheet at the door."""
    event = _managed_event(request, event_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-attendance.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
    writer = SafeCSVWriter(response)
    writer.writerow([_("Name"), _("E-mail"), _("Status"), _("Registered"), _("Present")])
    with timezone.override(city_of(request).time_zone):
        for registration in selectors.attendance(event):
            writer.writerow(
                [
                    registration.user.full_name,
                    registration.user.email,
                    RegistrationStatus(registration.status).label,
                    timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
                    "",
                ]
            )
    return response
