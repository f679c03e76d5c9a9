"""Questions answered with a number or a day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from statistics import mean
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _

from ratusz.consultations.methods.surveys.kinds.base import Kind, QuestionResult, checked_range
from ratusz.consultations.methods.surveys.kinds.registry import register
from ratusz.consultations.methods.surveys.models import Question, QuestionKind

if TYPE_CHECKING:
    from ratusz.consultations.methods.surveys.forms.answering import AnswerForm
    from ratusz.consultations.methods.surveys.forms.editor import QuestionForm


@register
class Number(Kind):
    """A number, perhaps between `min` and `max`; stored as text, exactly as given."""

    key = QuestionKind.NUMBER
    label = QuestionKind.NUMBER.label

    def add_settings(self, form: QuestionForm) -> None:
        form.fields["min"] = forms.DecimalField(label=_("Smallest allowed"), required=False)
        form.fields["max"] = forms.DecimalField(label=_("Largest allowed"), required=False)

    def clean_settings(self, form: QuestionForm, data: dict[str, Any]) -> dict[str, Any]:
        low, high = checked_range(form, data)
        return {
            "min": None if low is None else str(low),
            "max": None if high is None else str(high),
        }

    def add_fields(self, form: AnswerForm, question: Question, name: str, saved: Any) -> None:
        low, high = question.config.get("min"), question.config.get("max")
        form.fields[name] = forms.DecimalField(
            label=form.label_of(question),
            required=False,
            min_value=None if low is None else Decimal(str(low)),
            max_value=None if high is None else Decimal(str(high)),
            max_digits=18,
            decimal_places=6,
        )
        form.initial[name] = saved

    def assemble(self, form: AnswerForm, question: Question, data: dict[str, Any]) -> Any:
        number = data.get(f"q{question.pk}")
        return None if number is None else str(number.normalize())

    def tally(
        self, result: QuestionResult, given: list[Any], language: str, *, staff: bool
    ) -> None:
        numbers = []
        for value in given:
            try:
                numbers.append(Decimal(str(value)))
            except InvalidOperation:
                continue
        if numbers:
            result.summary = [
                (_("Smallest"), str(min(numbers))),
                (_("Average"), f"{mean(float(n) for n in numbers):.2f}"),
                (_("Largest"), str(max(numbers))),
            ]


@register
class Date(Kind):
    """A day, stored as YYYY-MM-DD."""

    key = QuestionKind.DATE
    label = QuestionKind.DATE.label

    def add_fields(self, form: AnswerForm, question: Question, name: str, saved: Any) -> None:
        form.fields[name] = forms.DateField(
            label=form.label_of(question),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
        form.initial[name] = saved

    def assemble(self, form: AnswerForm, question: Question, data: dict[str, Any]) -> Any:
        day: date | None = data.get(f"q{question.pk}")
        return None if day is None else day.isoformat()

    def tally(
        self, result: QuestionResult, given: list[Any], language: str, *, staff: bool
    ) -> None:
        if given:
            result.summary = [(_("Earliest"), min(given)), (_("Latest"), max(given))]
