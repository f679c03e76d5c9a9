"""Reads on surveys: what is wrong with a survey, and what residents answered."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.rules import can_see_project
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.surveys.kinds import QuestionResult, kind_of
from ratusz.consultations.methods.surveys.kinds.geometry import (  # noqa: F401  (read from here too)
    area_centroid,
)
from ratusz.consultations.methods.surveys.models import Question, Response, Survey

SURVEY_METHOD = "survey"


def survey_phase_for(user: Any, phase_id: int) -> Phase | None:
    """A survey phase of this city the person may see (None: a 404, whatever the reason)."""
    phase = (
        Phase.objects.select_related("project").filter(pk=phase_id, method=SURVEY_METHOD).first()
    )
    if phase is None or not can_see_project(user, phase.project):
        return None
    return phase


def value_label(question: Question, value: str, language: str) -> str:
    """How a rule's value reads ("Yes", "4"...)."""
    return kind_of(question).value_label(question, value, language)


def branching_values(question: Question, language: str) -> list[tuple[str, str]]:
    """The values a skip rule may test on `question`, as (value, label)."""
    return kind_of(question).branching_values(question, language)


def survey_problems(survey: Survey, language: str | None = None) -> list[str]:
    """What keeps the survey from being answered, each said so that staff know what to fix.
    A survey with problems cannot be opened by residents."""
    language = language or "en"
    problems: list[str] = []
    pages = list(survey.pages.order_by("position", "pk"))
    numbers = {page.pk: number for number, page in enumerate(pages, start=1)}
    questions = list(survey.questions.all())
    if not questions:
        problems.append(_("The survey has no questions yet: add at least one."))
    for question in questions:
        name = translated(question.text, language) or _("(untitled question)")
        if not question.text:
            problems.append(
                _("A question on page %(page)s has no text.") % {"page": numbers[question.page_id]}
            )
        problems.extend(kind_of(question).problems(question, name))
    for page in pages:
        for index, rule in enumerate(page.rules.select_related("question", "target"), start=1):
            where = {"rule": index, "page": numbers[page.pk]}
            if rule.question is None:
                problems.append(
                    _(
                        "Rule %(rule)s on page %(page)s tests a question that was deleted: "
                        "delete the rule or make a new one."
                    )
                    % where
                )
                continue
            if rule.question.page_id != page.pk:
                problems.append(
                    _(
                        "Rule %(rule)s on page %(page)s tests a question that was moved to "
                        "another page: delete the rule or move the question back."
                    )
                    % where
                )
            if kind_of(rule.question).branching and rule.value not in {
                value for value, _label in branching_values(rule.question, language)
            }:
                problems.append(
                    _(
                        "Rule %(rule)s on page %(page)s tests an answer the question no longer "
                        "offers: delete the rule or make a new one."
                    )
                    % where
                )
            if not rule.to_end and rule.target is None:
                problems.append(
                    _(
                        "Rule %(rule)s on page %(page)s skips to a page that was deleted: "
                        "delete the rule or make a new one that goes to another page or to "
                        "the end."
                    )
                    % where
                )
            elif rule.target is not None and numbers[rule.target.pk] <= numbers[page.pk]:
                problems.append(
                    _(
                        "Rule %(rule)s on page %(page)s skips back to page %(target)s: rules "
                        "can only skip forward."
                    )
                    % {**where, "target": numbers[rule.target.pk]}
                )
    return problems


def submitted_responses(survey: Survey) -> QuerySet[Response]:
    return survey.responses.filter(submitted_at__isnull=False)


def question_results(survey: Survey, language: str, *, staff: bool) -> list[QuestionResult]:
    """Per question: how many answered, counts and percentages (choices, scales, matrices),
    figures (numbers), the texts (open answers), points (map) and polygons (area)."""
    answers = [r.answers for r in submitted_responses(survey).only("answers")]
    results: list[QuestionResult] = []
    for question in survey.questions.select_related("page").order_by(
        "page__position", "page_id", "position", "pk"
    ):
        given = [a[str(question.pk)] for a in answers if a.get(str(question.pk)) is not None]
        text = translated(question.text, language) or _("(untitled question)")
        result = QuestionResult(question=question, text=text, answered=len(given))
        kind_of(question).tally(result, given, language, staff=staff)
        results.append(result)
    return results


def answer_text(question: Question, value: Any, language: str) -> str:
    """An answer as one line of text (exports, tables)."""
    if value is None:
        return ""
    return kind_of(question).answer_text(question, value, language)


def open_texts(survey: Survey, question: Question) -> list[str]:
    """The free texts given to `question` (its answer, or the "other" text)."""
    texts = []
    for answers in submitted_responses(survey).values_list("answers", flat=True):
        value = answers.get(str(question.pk))
        if isinstance(value, str) and value.strip():
            texts.append(value)
        elif isinstance(value, dict) and str(value.get("other", "")).strip():
            texts.append(str(value["other"]))
    return texts
