"""The survey's own settings of a phase."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from ratusz.consultations.core.models import Phase


class PhaseSettingsForm(forms.Form):
    """The survey's own settings of a phase (stored in `phase.options`)."""

    anonymous = forms.BooleanField(
        label=gettext_lazy("Anonymous answers"),
        required=False,
        help_text=gettext_lazy(
            "Results and exports do not say who answered; each account still answers once."
        ),
    )
    allow_without_account = forms.BooleanField(
        label=gettext_lazy("Residents can answer without an account"),
        required=False,
        help_text=gettext_lazy("Once per browser; only when answering is open to everyone."),
    )
    results_public = forms.BooleanField(
        label=gettext_lazy("Show the results to residents"),
        required=False,
    )

    def __init__(self, data: Any = None, *, phase: Phase, **kwargs: Any) -> None:
        initial = {name: bool(phase.options.get(name)) for name in self.base_fields}
        super().__init__(data, initial=initial, **kwargs)
        self.phase = phase
