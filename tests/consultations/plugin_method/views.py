"""The throw-away method's pages and panel: just enough markup for the tests to find."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse

from ratusz.consultations.core.access import staff_required
from ratusz.consultations.core.models import Phase

PANEL_MARK = "plugin-test-panel"


def panel(request: HttpRequest, phase: Phase) -> str:
    return f'<p class="{PANEL_MARK}" data-phase="{phase.pk}">Plug-in panel</p>'


class PhaseSettingsForm(forms.Form):
    colour = forms.CharField(required=False)

    def __init__(self, *args: object, phase: Phase, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own arguments
        self.fields["colour"].initial = phase.options.get("colour", "green")


def index(request: HttpRequest) -> HttpResponse:
    return HttpResponse("plug-in resident page")


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("plug-in staff page")


@staff_required
def staff_phase(request: HttpRequest, phase_id: int) -> HttpResponse:
    return HttpResponse(f"plug-in staff page of phase {phase_id}")
