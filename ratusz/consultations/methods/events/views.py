"""Resident pages of events: the city-wide list, an event's page, registering, cancelling and
the calendar file. Times are shown in the city's time zone."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from ratusz.consultations.core.http import city_of
from ratusz.consultations.core.richtext import plain_text
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.events import selectors, services
from ratusz.consultations.methods.events.models import Event, RegistrationStatus
from ratusz.consultations.methods.events.rules import can_register


def _event_or_404(request: HttpRequest, event_id: int) -> Event:
    event = selectors.event_for(request.user, event_id)
    if event is None:
        raise Http404
    return event


def event_list(request: HttpRequest) -> HttpResponse:
    city = city_of(request)
    events = list(selectors.upcoming_events(request.user))
    with timezone.override(city.time_zone):
        return render(
            request,
            "events/list.html",
            {
                "events": events,
                "mine": selectors.registrations_by_event(request.user, events),
            },
        )


def event_context(request: HttpRequest, event: Event) -> dict[str, object]:
    registration = selectors.registration_of(request.user, event)
    return {
        "event": event,
        "seats": selectors.seats(event),
        "registration": registration,
        "waiting_position": (
            selectors.waiting_position(registration)
            if registration is not None and registration.status == RegistrationStatus.WAITING
            else None
        ),
        "decision": can_register(request.user, event),
        "login_url": f"{reverse('account_login')}?next={request.get_full_path()}",
    }


def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    city = city_of(request)
    event = _event_or_404(request, event_id)
    with timezone.override(city.time_zone):
        return render(request, "events/detail.html", event_context(request, event))


def _back(request: HttpRequest, event: Event) -> HttpResponse:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("events:detail", event_id=event.pk)


@require_POST
def register(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event_or_404(request, event_id)
    if not request.user.is_authenticated:
        return redirect(
            f"{reverse('account_login')}?next={reverse('events:detail', args=[event.pk])}"
        )
    try:
        registration = services.register(user=request.user, event=event)
    except (services.Refused, services.NotAllowed) as problem:
        messages.error(request, str(problem))
        return _back(request, event)
    if registration.status == RegistrationStatus.WAITING:
        messages.info(
            request,
            _(
                "The event is full, so you are on the waiting list. If a seat frees up, it is "
                "yours and we will let you know by e-mail."
            ),
        )
    else:
        messages.success(request, _("You are registered. See you there!"))
    return _back(request, event)


@require_POST
def cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event_or_404(request, event_id)
    if not request.user.is_authenticated:
        return redirect(
            f"{reverse('account_login')}?next={reverse('events:detail', args=[event.pk])}"
        )
    try:
        services.cancel_registration(user=request.user, event=event)
    except (services.Refused, services.NotAllowed) as problem:
        messages.error(request, str(problem))
        return _back(request, event)
    messages.success(request, _("Your registration is cancelled."))
    return _back(request, event)


def calendar(request: HttpRequest, event_id: int) -> HttpResponse:
    """The event as an iCalendar file (RFC 5545), times in UTC, for any calendar app."""
    city = city_of(request)
    event = _event_or_404(request, event_id)
    url = request.build_absolute_uri(reverse("events:detail", args=[event.pk]))
    cal = Calendar()
    cal.add("prodid", "-//Ratusz//events//EN")
    cal.add("version", "2.0")
    item = CalendarEvent()
    item.add("uid", f"event-{event.pk}@{city.primary_domain}")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    # In the visitor's language (the one the page is shown in), else the city's default.
    language = city.default_language
    item.add("summary", translated(event.title, language))
    description = plain_text(translated(event.description, language))
    item.add("description", f"{description}\n\n{url}".strip())
    item.add("url", url)
    location = translated(event.place, language) or event.online_url
    if location:
        item.add("location", location)
    if event.latitude is not None and event.longitude is not None:
        item.add("geo", (float(event.latitude), float(event.longitude)))
    cal.add_component(item)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response
