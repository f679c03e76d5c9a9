"""Validation of causes and the phase's (empty) settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.models import Phase


class CauseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    needed = forms.IntegerField(label=_("Volunteers needed"), min_value=1, max_value=100_000)


class PhaseSettingsForm(forms.Form):
    """Volunteering has no settings of its own yet; causes are managed on the staff page."""

    def __init__(self, data: Any = None, *, phase: Phase, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.phase = phase
