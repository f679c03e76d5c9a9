"""Validation of polls: the phase setting, a new poll, and a vote."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.translated_forms import MultilingualForm, local_language_name
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.polls.models import Poll, PollChoice


class PhaseSettingsForm(forms.Form):
    show_results = forms.ChoiceField(
        label=gettext_lazy("Show the results"),
        choices=[
            ("after_vote", gettext_lazy("To each person after they vote")),
            ("after_phase", gettext_lazy("Only after the phase ends")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, data: Any = None, *, phase: Phase, **kwargs: Any) -> None:
        initial = {"show_results": phase.options.get("show_results", "after_vote")}
        super().__init__(data, initial=initial, **kwargs)
        self.phase = phase


class PollForm(MultilingualForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_texts("question", _("Question"), required=True, max_length=300)
        self.add_texts(
            "choices",
            _("Answers"),
            required=True,
            textarea=True,
            help_text=_("One per line, in the same order in every language."),
        )
        self.fields["multiple"] = forms.BooleanField(
            label=_("People may choose several answers"), required=False
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = {
            code: [x.strip() for x in (data.get(f"choices_{code}") or "").splitlines() if x.strip()]
            for code in self.languages
        }
        main = lines[self.default_language]
        if len(main) < 2 and f"choices_{self.default_language}" not in self.errors:
            self.add_error(f"choices_{self.default_language}", _("Give at least two answers."))
        for code, given in lines.items():
            if given and len(given) != len(main):
                self.add_error(
                    f"choices_{code}",
                    _("Give as many lines as in %(language)s (%(count)s).")
                    % {"language": local_language_name(self.default_language), "count": len(main)},
                )
        self.choices = [
            {code: given[i] for code, given in lines.items() if len(given) > i}
            for i in range(len(main))
        ]
        return data


class VoteForm(forms.Form):
    def __init__(self, data: Any = None, *, poll: Poll, language: str) -> None:
        super().__init__(data)
        self.poll = poll
        options = [(str(c.pk), translated(c.label, language)) for c in poll.choices.all()]
        if poll.multiple:
            self.fields["choice"] = forms.MultipleChoiceField(
                label=translated(poll.question, language),
                choices=options,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Choose at least one answer.")},
            )
        else:
            self.fields["choice"] = forms.ChoiceField(
                label=translated(poll.question, language),
                choices=options,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )

    def chosen(self) -> list[PollChoice]:
        value = self.cleaned_data["choice"]
        ids = [int(v) for v in (value if isinstance(value, list) else [value])]
        return list(self.poll.choices.filter(pk__in=ids))
