"""Validation of causes and the phase's (empty) settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.translated_forms import TranslatedFields


class CauseForm(TranslatedFields):
    """One title and description field per city language; the default language's title is
    required."""

    needed = forms.IntegerField(label=_("Volunteers needed"), min_value=1, max_value=100_000)

    def __init__(
        self, data: Any = None, *, languages: tuple[str, ...], default_language: str, **kwargs: Any
    ) -> None:
        super().__init__(data, languages=languages, default_language=default_language, **kwargs)
        self.add_translated("title", _("Title"), required=True, max_length=160)
        self.add_translated(
            "description", _("Description"), required=False, max_length=20_000, textarea=True
        )
        self.order_fields(
            [*(f"title_{c}" for c in self.languages), *(f"description_{c}" for c in self.languages)]
        )

    def cause(self) -> dict[str, Any]:
        """The arguments of `services.add_cause` (but the phase)."""
        return {
            "title": self.texts("title"),
            "description": self.texts("description"),
            "needed": self.cleaned_data["needed"],
        }


class PhaseSettingsForm(forms.Form):
    """Volunteering has no settings of its own yet; causes are managed on the staff page."""

    def __init__(self, data: Any = None, *, phase: Phase, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.phase = phase
