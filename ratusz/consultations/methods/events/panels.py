"""The events panel of a project page: the phase's events, each with its register button."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from ratusz.consultations.core.http import city_of
from ratusz.consultations.core.models import Phase
from ratusz.consultations.methods.events import selectors
from ratusz.consultations.methods.events.rules import can_register


def render(request: HttpRequest, phase: Phase) -> str:
    city = city_of(request)
    events = list(selectors.phase_events(phase).filter(ends_at__gt=timezone.now()))
    mine = selectors.registrations_by_event(request.user, events)
    rows = [
        {"event": e, "registration": mine.get(e.pk), "decision": can_register(request.user, e)}
        for e in events
    ]
    with timezone.override(city.time_zone):
        return render_to_string(
            "events/panel.html", {"phase": phase, "rows": rows}, request=request
        )
