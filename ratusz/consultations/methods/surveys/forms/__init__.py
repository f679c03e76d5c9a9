"""Validation of survey input, by topic: the phase settings (`settings`), the editor's forms
(`editor`) and a resident's answers to one page (`answering`)."""

from ratusz.consultations.methods.surveys.forms.answering import AnswerForm
from ratusz.consultations.methods.surveys.forms.editor import (
    PageForm,
    QuestionForm,
    RuleForm,
    TextsForm,
)
from ratusz.consultations.methods.surveys.forms.settings import PhaseSettingsForm

__all__ = [
    "AnswerForm",
    "PageForm",
    "PhaseSettingsForm",
    "QuestionForm",
    "RuleForm",
    "TextsForm",
]
