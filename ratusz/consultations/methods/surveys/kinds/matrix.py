"""A matrix: statements in rows, the same answers in columns, one answer a row."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.surveys.kinds.base import (
    Kind,
    QuestionResult,
    choice_label,
    labelled_options,
)
from ratusz.consultations.methods.surveys.kinds.choice import one_per_line
from ratusz.consultations.methods.surveys.kinds.registry import register
from ratusz.consultations.methods.surveys.models import Question, QuestionKind

if TYPE_CHECKING:
    from ratusz.consultations.methods.surveys.forms.answering import AnswerForm
    from ratusz.consultations.methods.surveys.forms.editor import QuestionForm


@register
class Matrix(Kind):
    """Stored as {row key: column key} for the rows answered."""

    key = QuestionKind.MATRIX
    label = QuestionKind.MATRIX.label
    single_input = False
    template = "surveys/partials/kinds/matrix.html"
    missing = gettext_lazy("Choose an answer in every row.")

    def add_settings(self, form: QuestionForm) -> None:
        form.add_texts(
            "rows", _("Rows (statements)"), required=True, textarea=True, help_text=one_per_line()
        )
        form.add_texts(
            "columns",
            _("Columns (answers)"),
            required=True,
            textarea=True,
            help_text=one_per_line(),
        )

    def clean_settings(self, form: QuestionForm, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "rows": form.options_from_lines("rows", "r"),
            "columns": form.options_from_lines("columns", "c"),
        }

    def problems(self, question: Question, name: str) -> list[str]:
        if question.config.get("rows") and question.config.get("columns"):
            return []
        return [_("The question “%(question)s” needs rows and columns.") % {"question": name}]

    def add_fields(self, form: AnswerForm, question: Question, name: str, saved: Any) -> None:
        columns = labelled_options(question.config.get("columns", []), form.language)
        for key, row in labelled_options(question.config.get("rows", []), form.language):
            form.fields[f"{name}_{key}"] = forms.ChoiceField(
                label=row, required=False, choices=columns, widget=forms.RadioSelect
            )
            form.initial[f"{name}_{key}"] = (saved or {}).get(key)

    def describe(self, form: AnswerForm, question: Question) -> dict[str, Any]:
        return {"columns": labelled_options(question.config.get("columns", []), form.language)}

    def assemble(self, form: AnswerForm, question: Question, data: dict[str, Any]) -> Any:
        name = f"q{question.pk}"
        rows = {r["key"]: data.get(f"{name}_{r['key']}") for r in question.config.get("rows", [])}
        given = {k: v for k, v in rows.items() if v}
        if given and question.required and len(given) != len(rows):
            raise forms.ValidationError(self.missing_message(question))
        return given

    def tally(
        self, result: QuestionResult, given: list[Any], language: str, *, staff: bool
    ) -> None:
        columns = result.question.config.get("columns", [])
        result.matrix_columns = [translated(c.get("label"), language) for c in columns]
        for row in result.question.config.get("rows", []):
            tally = Counter(value.get(row["key"]) for value in given)
            result.matrix_rows.append(
                (
                    translated(row.get("label"), language) or row["key"],
                    [tally.get(c["key"], 0) for c in columns],
                )
            )

    def answer_text(self, question: Question, value: Any, language: str) -> str:
        columns = question.config.get("columns", [])
        return "; ".join(
            f"{choice_label(question.config.get('rows', []), row, language)}: "
            f"{choice_label(columns, column, language)}"
            for row, column in value.items()
        )

    def export_columns(self, question: Question, language: str) -> list[tuple[str, str | None]]:
        text = translated(question.text, language) or str(question.pk)
        return [
            (f"{text}: {translated(row.get('label'), language)}", row["key"])
            for row in question.config.get("rows", [])
        ]

    def export_cell(self, question: Question, value: Any, part: str, language: str) -> str:
        column = (value or {}).get(part)
        return choice_label(question.config.get("columns", []), column, language) if column else ""
