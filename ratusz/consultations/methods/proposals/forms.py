"""Validation of proposals, the city's answers and the phase's settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.models import Phase
from ratusz.consultations.methods.proposals.models import ProposalStatus
from ratusz.consultations.methods.proposals.services import DEFAULT_DAYS, DEFAULT_THRESHOLD


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    body = forms.CharField(
        label=_("Your proposal"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text=_("What should the city do, and why? Simple formatting is kept."),
    )


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProposalStatus.choices)
    answer = forms.CharField(
        label=_("Official answer"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )


class PhaseSettingsForm(forms.Form):
    """The proposals method's settings of a phase (stored in `phase.options`)."""

    threshold = forms.IntegerField(
        label=_("Supporters needed"),
        min_value=1,
        max_value=1_000_000,
        help_text=_("How many residents must support a proposal for the city to consider it."),
    )
    days = forms.IntegerField(
        label=_("Days to collect support"),
        min_value=1,
        max_value=730,
        help_text=_("Counted from the day each proposal is submitted."),
    )

    def __init__(self, data: Any = None, *, phase: Phase, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "threshold": phase.options.get("threshold", DEFAULT_THRESHOLD),
                "days": phase.options.get("days", DEFAULT_DAYS),
            },
        )
        super().__init__(data, **kwargs)
        self.phase = phase
