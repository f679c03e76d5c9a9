"""The volunteering panel of a project page: the phase's causes with sign-up buttons."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import can_act
from ratusz.consultations.methods.volunteering import selectors


def render(request: HttpRequest, phase: Phase) -> str:
    return render_to_string(
        "volunteering/panel.html",
        {
            "phase": phase,
            "causes": selectors.phase_causes(phase),
            "mine": selectors.signed_up_ids(request.user, phase),
            "decision": can_act(request.user, phase, Action.VOLUNTEER),
        },
        request=request,
    )
