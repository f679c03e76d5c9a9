"""What residents see of a survey on the project page while its phase is current."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from ratusz.consultations.core.models import Phase
from ratusz.consultations.methods.surveys import selectors, services
from ratusz.consultations.methods.surveys.models import Survey


def render(request: HttpRequest, phase: Phase) -> str:
    survey = Survey.objects.filter(phase=phase).first()
    state = "missing"
    if survey is not None:
        state = "open"
        if selectors.survey_problems(survey):
            state = "unavailable"
        elif request.user.is_authenticated:
            response = services.response_of(survey, services.Respondent(user=request.user))
            if response is not None:
                state = "done" if response.submitted_at else "draft"
    return render_to_string(
        "surveys/panel.html",
        {
            "phase": phase,
            "survey": survey,
            "state": state,
            "decision": services.answer_decision(request.user, phase),
            "results_public": bool(phase.options.get("results_public")),
        },
        request=request,
    )
