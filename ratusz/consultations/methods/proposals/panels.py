"""The proposals panel of a project page: the phase's proposals and the submit link."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from ratusz.consultations.core.http import city_of
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import can_act
from ratusz.consultations.methods.proposals import selectors


def render(request: HttpRequest, phase: Phase) -> str:
    proposals = list(selectors.phase_proposals(phase))
    with timezone.override(city_of(request).time_zone):
        return render_to_string(
            "proposals/panel.html",
            {
                "phase": phase,
                "proposals": proposals,
                "supported": selectors.supported_ids(request.user, proposals),
                "post_decision": can_act(request.user, phase, Action.POST),
            },
            request=request,
        )
