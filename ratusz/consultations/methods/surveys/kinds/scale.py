"""A linear scale: a value from 0 or 1 up to 10, its ends perhaps labelled."""

from __future__ import annotations

from collections import Counter
from statistics import mean
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.surveys.kinds.base import (
    Kind,
    QuestionResult,
    checked_range,
    counted,
)
from ratusz.consultations.methods.surveys.kinds.registry import register
from ratusz.consultations.methods.surveys.models import Question, QuestionKind

if TYPE_CHECKING:
    from ratusz.consultations.methods.surveys.forms.answering import AnswerForm
    from ratusz.consultations.methods.surveys.forms.editor import QuestionForm


@register
class Scale(Kind):
    """A value from `min` (0 or 1) to `max` (2 to 10), its ends perhaps labelled."""

    key = QuestionKind.SCALE
    label = QuestionKind.SCALE.label
    single_input = False
    template = "surveys/partials/kinds/scale.html"
    branching = True
    missing = gettext_lazy("Choose an answer to this question.")

    def add_settings(self, form: QuestionForm) -> None:
        form.fields["min"] = forms.IntegerField(
            label=_("From"), min_value=0, max_value=1, initial=1
        )
        form.fields["max"] = forms.IntegerField(label=_("To"), min_value=2, max_value=10, initial=5)
        form.add_texts("min_label", _("Label of the lowest value"), max_length=100)
        form.add_texts("max_label", _("Label of the highest value"), max_length=100)

    def clean_settings(self, form: QuestionForm, data: dict[str, Any]) -> dict[str, Any]:
        low, high = checked_range(form, data)
        return {
            "min": None if low is None else int(low),
            "max": None if high is None else int(high),
            "min_label": {k: v for k, v in form.texts("min_label").items() if v},
            "max_label": {k: v for k, v in form.texts("max_label").items() if v},
        }

    def branching_values(self, question: Question, language: str) -> list[tuple[str, str]]:
        low, high = int(question.config.get("min", 1)), int(question.config.get("max", 5))
        return [(str(n), str(n)) for n in range(low, high + 1)]

    def add_fields(self, form: AnswerForm, question: Question, name: str, saved: Any) -> None:
        form.fields[name] = forms.TypedChoiceField(
            label=form.label_of(question),
            required=False,
            choices=self.branching_values(question, form.language),
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
        )
        form.initial[name] = None if saved is None else str(saved)

    def describe(self, form: AnswerForm, question: Question) -> dict[str, Any]:
        return {
            "min_label": translated(question.config.get("min_label"), form.language),
            "max_label": translated(question.config.get("max_label"), form.language),
        }

    def assemble(self, form: AnswerForm, question: Question, data: dict[str, Any]) -> Any:
        return data.get(f"q{question.pk}")

    def tally(
        self, result: QuestionResult, given: list[Any], language: str, *, staff: bool
    ) -> None:
        counts = Counter(str(value) for value in given)
        result.chart, result.table = counted(
            result.text,
            counts,
            self.branching_values(result.question, language),
            len(given),
            f"q{result.question.pk}",
        )
        if given:
            result.summary.append((_("Average"), f"{mean(int(v) for v in given):.2f}"))
