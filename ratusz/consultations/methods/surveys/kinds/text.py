"""Free-text questions: a line, or a few paragraphs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from ratusz.consultations.methods.surveys.kinds.base import Kind
from ratusz.consultations.methods.surveys.kinds.registry import register
from ratusz.consultations.methods.surveys.models import Question, QuestionKind

if TYPE_CHECKING:
    from ratusz.consultations.methods.surveys.forms.answering import AnswerForm


@register
class ShortText(Kind):
    key = QuestionKind.SHORT_TEXT
    label = QuestionKind.SHORT_TEXT.label


@register
class LongText(Kind):
    key = QuestionKind.LONG_TEXT
    label = QuestionKind.LONG_TEXT.label

    def add_fields(self, form: AnswerForm, question: Question, name: str, saved: Any) -> None:
        form.fields[name] = forms.CharField(
            label=form.label_of(question),
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 5}),
        )
        form.initial[name] = saved
