"""Survey answers as rows: one survey's table (a column per question, for its results page)
and the "survey answers" dataset of the exports (one row per answer, across surveys)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusz.consultations.core.reporting import Column, Dataset, Metric, Scope, local_time
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.surveys.kinds import kind_of
from ratusz.consultations.methods.surveys.models import Question, Response, Survey
from ratusz.consultations.methods.surveys.selectors import answer_text

CHUNK = 500


def respondent_name(response: Response) -> str:
    """Who answered, never revealing an anonymous respondent."""
    if response.anonymous:
        return _("Anonymous")
    if response.user is not None:
        return response.user.full_name or _("(no name)")
    if response.respondent_key.startswith("b:"):
        return _("(without an account)")
    return _("(account deleted)")


def _columns(question: Question, language: str) -> list[tuple[str, Any]]:
    """The column(s) of a question: a matrix has one per row, others one."""
    return kind_of(question).export_columns(question, language)


def survey_table(
    survey: Survey, *, language: str, zone: Any, default_language: str
) -> tuple[list[str], Iterator[list[Any]]]:
    questions = list(
        survey.questions.select_related("page").order_by(
            "page__position", "page_id", "position", "pk"
        )
    )
    layout = [(q, key) for q in questions for _label, key in _columns(q, language)]
    headers = [str(_("Response number")), str(_("Submitted")), str(_("Respondent"))] + [
        label for q in questions for label, _key in _columns(q, language)
    ]

    def rows() -> Iterator[list[Any]]:
        responses = (
            survey.responses.filter(submitted_at__isnull=False)
            .select_related("user")
            .order_by("submitted_at", "pk")
        )
        for response in responses.iterator(chunk_size=CHUNK):
            row: list[Any] = [
                response.pk,
                local_time(response.submitted_at, zone),
                respondent_name(response),
            ]
            for question, row_key in layout:
                value = response.answers.get(str(question.pk))
                if row_key is not None:
                    row.append(kind_of(question).export_cell(question, value, row_key, language))
                else:
                    row.append(answer_text(question, value, language))
            yield row

    return headers, rows()


# --- the exports' dataset ------------------------------------------------------------------


def _responses(scope: Scope) -> QuerySet[Response]:
    return Response.objects.filter(
        survey__phase__project__in=scope.projects, submitted_at__isnull=False
    )


def _dataset_columns(scope: Scope) -> list[Column]:
    return [
        Column("response", gettext_lazy("Response number")),
        Column("project", gettext_lazy("Project")),
        Column("phase", gettext_lazy("Phase")),
        Column("respondent", gettext_lazy("Respondent")),
        Column("submitted", gettext_lazy("Submitted")),
        Column("question", gettext_lazy("Question")),
        Column("answer", gettext_lazy("Answer")),
    ]


def _dataset_rows(scope: Scope) -> Iterator[list[Any]]:
    language = scope.default_language
    questions: dict[int, Question] = {}
    responses = (
        _responses(scope)
        .select_related("user", "survey__phase__project")
        .order_by("survey_id", "submitted_at", "pk")
    )
    for response in responses.iterator(chunk_size=CHUNK):
        phase = response.survey.phase
        for question_id, value in response.answers.items():
            question = questions.get(int(question_id))
            if question is None:
                question = Question.objects.filter(pk=int(question_id)).first()
                if question is None:  # deleted after the answer was given
                    continue
                questions[question.pk] = question
            yield [
                response.pk,
                translated(phase.project.title, language),
                translated(phase.title, language),
                respondent_name(response),
                local_time(response.submitted_at, scope.zone),
                translated(question.text, language),
                answer_text(question, value, language),
            ]


SURVEY_DATASET = Dataset(
    key="survey_answers",
    label=gettext_lazy("Survey answers"),
    columns=_dataset_columns,
    rows=_dataset_rows,
    count=lambda scope: _responses(scope).count(),
    empty_note=gettext_lazy(
        "There are no survey answers here yet: the file has only the column headers."
    ),
    position=60,
)


# Anonymous responses count as answers, but not towards "active participants": the dashboard
# must not tie them to an account.
SURVEY_ANSWERS = Metric(
    key="survey_answers",
    label=gettext_lazy("Survey answers"),
    events=_responses,
    time_field="submitted_at",
    position=70,
)
