"""The polls residents see on the project page while a poll phase is current."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from ratusz.consultations.core.models import Phase
from ratusz.consultations.methods.polls.models import Poll
from ratusz.consultations.methods.polls.views import poll_context


def render(request: HttpRequest, phase: Phase) -> str:
    polls = [
        poll_context(request, poll)
        for poll in Poll.objects.filter(phase=phase).prefetch_related("choices")
    ]
    return render_to_string("polls/panel.html", {"phase": phase, "polls": polls}, request=request)
