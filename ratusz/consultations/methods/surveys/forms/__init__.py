"""Validation of survey input, by topic: the phase settings (`settings`), the editor's forms
(`editor`) and a resident's answers to one page (`answering`)."""

from ratusz.consultations.methods.surveys.forms.answering import AnswerForm
from ratusz.consultations.methods.surveys.forms.editor import (
    MultilingualForm,
    PageForm,
    QuestionForm,
    RuleForm,
    TextsForm,
    language_name,
)
from ratusz.consultations.methods.surveys.forms.settings import PhaseSettingsForm

__all__ = [
    "AnswerForm",
    "MultilingualForm",
    "PageForm",
    "PhaseSettingsForm",
    "QuestionForm",
    "RuleForm",
    "TextsForm",
    "language_name",
]
