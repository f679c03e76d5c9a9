"""Forms of the back office's own pages (each area keeps its forms in its own module)."""

from __future__ import annotations

from typing import Any

from django import forms

from ratusz.consultations.core.features import FeatureState


class FeaturesForm(forms.Form):
    """One checkbox per feature the plan allows; features outside the plan get no field, so
    whatever is posted for them (or for a key nobody knows) is ignored."""

    def __init__(self, *args: Any, states: list[FeatureState], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.states = states
        for state in states:
            if state.allowed:
                self.fields[state.key] = forms.BooleanField(
                    label=state.label, required=False, initial=state.enabled
                )

    def switches(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(key)) for key in self.fields}

    def rows(self) -> list[tuple[FeatureState, forms.BoundField | None]]:
        """Each feature with its checkbox (None when the plan does not include it)."""
        return [
            (state, self[state.key] if state.key in self.fields else None) for state in self.states
        ]
