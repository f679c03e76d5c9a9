"""A resident's answers to one survey page: each question's field(s) and answer come from its
kind (see `kinds`), every problem said next to its question."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.surveys.kinds import kind_of
from ratusz.consultations.methods.surveys.models import Question


def _empty(value: Any) -> bool:
    return value in (None, "", [], {})


class AnswerForm(forms.Form):
    """The questions of one survey page. Each question's answer is assembled in `clean` into
    `self.answers` (question id -> stored value); a question with a problem gets its message
    and is left out, so the draft keeps every other answer."""

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        questions: list[Question],
        language: str,
        saved: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, files)
        self.questions = questions
        self.language = language
        self.saved = saved or {}
        self.answers: dict[int, Any] = {}
        self.uploads: dict[int, UploadedFile] = {}
        self.map_used = False
        self.area_used = False
        for question in questions:
            self._add_fields(question)

    def label_of(self, question: Question) -> str:
        return translated(question.text, self.language) or _("(untitled question)")

    def _add_fields(self, question: Question) -> None:
        kind_of(question).add_fields(
            self, question, f"q{question.pk}", self.saved.get(str(question.pk))
        )

    def field_names(self, question: Question) -> list[str]:
        prefix = f"q{question.pk}"
        return [n for n in self.fields if n == prefix or n.startswith(prefix + "_")]

    def question_errors(self, question: Question) -> list[str]:
        return [str(e) for n in self.field_names(question) for e in self.errors.get(n, [])]

    def items(self) -> list[dict[str, Any]]:
        """What the template shows per question: its texts, fields and errors, and what its
        kind's template needs."""
        listed = []
        for question in self.questions:
            kind = kind_of(question)
            name = f"q{question.pk}"
            listed.append(
                {
                    "question": question,
                    "kind": question.kind,
                    "single_input": kind.single_input,
                    "template": kind.template,
                    "name": name,
                    "text": self.label_of(question),
                    "help": translated(question.help, self.language),
                    "fields": [self[n] for n in self.field_names(question)],
                    "main": self[name] if name in self.fields else None,
                    "errors": self.question_errors(question) if self.is_bound else [],
                    **kind.describe(self, question),
                }
            )
        return listed

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for question in self.questions:
            names = self.field_names(question)
            if any(n in self.errors for n in names):
                continue
            try:
                value = kind_of(question).assemble(self, question, data)
            except forms.ValidationError as problem:
                self.add_error(names[0], problem)
                continue
            if _empty(value) and question.required:
                self.add_error(names[0], kind_of(question).missing_message(question))
                continue
            self.answers[question.pk] = None if _empty(value) else value
        return data
