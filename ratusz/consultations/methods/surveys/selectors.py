"""Reads on surveys: what is wrong with a survey, and what residents answered."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from statistics import mean
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.rules import can_see_project
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.surveys.models import (
    BRANCHING_KINDS,
    CHOICE_KINDS,
    Question,
    QuestionKind,
    Response,
    Survey,
)
from ratusz.consultations.reports.charts import Chart

SURVEY_METHOD = "survey"


def survey_phase_for(user: Any, phase_id: int) -> Phase | None:
    """A survey phase of this city the person may see (None: a 404, whatever the reason)."""
    phase = (
        Phase.objects.select_related("project").filter(pk=phase_id, method=SURVEY_METHOD).first()
    )
    if phase is None or not can_see_project(user, phase.project):
        return None
    return phase


def choice_label(options: list[dict[str, Any]], key: str, language: str) -> str:
    for option in options:
        if option.get("key") == key:
            return translated(option.get("label"), language) or key
    return key


def value_label(question: Question, value: str, language: str) -> str:
    """How a rule's value reads ("Yes", "4"...)."""
    if question.kind in CHOICE_KINDS:
        if value == "other":
            return _("Other")
        return choice_label(question.config.get("choices", []), value, language)
    return value


def branching_values(question: Question, language: str) -> list[tuple[str, str]]:
    """The values a skip rule may test on `question`, as (value, label)."""
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        values = [
            (c["key"], translated(c.get("label"), language) or c["key"])
            for c in question.config.get("choices", [])
        ]
        if question.config.get("allow_other"):
            values.append(("other", _("Other")))
        return values
    if question.kind == QuestionKind.SCALE:
        low, high = int(question.config.get("min", 1)), int(question.config.get("max", 5))
        return [(str(n), str(n)) for n in range(low, high + 1)]
    return []


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
        if question.kind in CHOICE_KINDS and len(question.config.get("choices", [])) < 2:
            problems.append(
                _("The question “%(question)s” needs at least two answers to choose from.")
                % {"question": name}
            )
        if question.kind == QuestionKind.MATRIX and not (
            question.config.get("rows") and question.config.get("columns")
        ):
            problems.append(
                _("The question “%(question)s” needs rows and columns.") % {"question": name}
            )
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
            if rule.question.kind in BRANCHING_KINDS and rule.value not in {
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


def area_wkt(points: list[list[float]]) -> str:
    """A polygon as WKT, which GIS tools read: longitude first, the ring closed."""
    ring = [*points, points[0]] if points else []
    return "POLYGON((" + ", ".join(f"{lon} {lat}" for lat, lon in ring) + "))"


def area_centroid(points: list[list[float]]) -> tuple[float, float]:
    """The centre of a polygon (latitude, longitude): the centroid of its surface, or the mean
    of its points when it has none (all in a line). Flat geometry is exact enough for the
    size of a city."""
    twice_area = cx = cy = 0.0
    for (lat1, lon1), (lat2, lon2) in zip(points, points[1:] + points[:1], strict=True):
        cross = lon1 * lat2 - lon2 * lat1
        twice_area += cross
        cx += (lon1 + lon2) * cross
        cy += (lat1 + lat2) * cross
    if abs(twice_area) < 1e-12:
        return (
            round(mean(lat for lat, _lon in points), 6),
            round(mean(lon for _lat, lon in points), 6),
        )
    return round(cy / (3 * twice_area), 6), round(cx / (3 * twice_area), 6)


@dataclass
class AreaAnswer:
    """One area answered, as staff see it: its points and where it is on OpenStreetMap."""

    points: list[list[float]]
    centre: tuple[float, float]

    @property
    def map_url(self) -> str:
        lat, lon = self.centre
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"

    @property
    def coordinates(self) -> str:
        return "; ".join(f"{lat}, {lon}" for lat, lon in self.points)


@dataclass
class QuestionResult:
    question: Question
    text: str
    answered: int
    chart: Chart | None = None
    # Rows of a data table: (label, count, percentage text).
    table: list[tuple[str, int, str]] = field(default_factory=list)
    matrix_columns: list[str] = field(default_factory=list)
    matrix_rows: list[tuple[str, list[int]]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    summary: list[tuple[str, str]] = field(default_factory=list)
    points: list[tuple[float, float]] = field(default_factory=list)
    areas: list[AreaAnswer] = field(default_factory=list)
    files: list[tuple[int, str]] = field(default_factory=list)


def _percent(count: int, total: int) -> str:
    return f"{(100 * count / total):.0f}%" if total else "0%"


def _counted(
    title: str, counts: Counter[str], options: list[tuple[str, str]], base: int, key: str
) -> tuple[Chart, list[tuple[str, int, str]]]:
    labels = [label for _value, label in options]
    values = [float(counts.get(value, 0)) for value, _label in options]
    chart = Chart(
        key=key,
        title=title,
        label_heading=_("Answer"),
        value_heading=_("Answers"),
        labels=labels,
        values=values,
        kind="hbar",
    )
    table = [
        (label, counts.get(value, 0), _percent(counts.get(value, 0), base))
        for value, label in options
    ]
    return chart, table


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
        key = f"q{question.pk}"
        kind = question.kind
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE):
            counts: Counter[str] = Counter()
            for value in given:
                if kind == QuestionKind.SINGLE:
                    counts[value.get("choice", "")] += 1
                    if value.get("other"):
                        result.texts.append(value["other"])
                elif kind == QuestionKind.MULTIPLE:
                    counts.update(value.get("choices", []))
                    if value.get("other"):
                        result.texts.append(value["other"])
                else:
                    counts[str(value)] += 1
            result.chart, result.table = _counted(
                text, counts, branching_values(question, language), len(given), key
            )
            if kind == QuestionKind.SCALE and given:
                result.summary.append((_("Average"), f"{mean(int(v) for v in given):.2f}"))
        elif kind == QuestionKind.RANKING:
            choices = question.config.get("choices", [])
            places: dict[str, list[int]] = {c["key"]: [] for c in choices}
            for ranking in given:
                for place, choice in enumerate(ranking, start=1):
                    places.setdefault(choice, []).append(place)
            ordered = sorted(
                choices, key=lambda c: mean(places[c["key"]]) if places[c["key"]] else 1e9
            )
            result.summary = [
                (
                    translated(c.get("label"), language) or c["key"],
                    _("average place %(place)s")
                    % {"place": f"{mean(places[c['key']]):.2f}" if places[c["key"]] else "—"},
                )
                for c in ordered
            ]
        elif kind == QuestionKind.MATRIX:
            columns = question.config.get("columns", [])
            result.matrix_columns = [translated(c.get("label"), language) for c in columns]
            for row in question.config.get("rows", []):
                tally = Counter(value.get(row["key"]) for value in given)
                result.matrix_rows.append(
                    (
                        translated(row.get("label"), language) or row["key"],
                        [tally.get(c["key"], 0) for c in columns],
                    )
                )
        elif kind == QuestionKind.NUMBER:
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
        elif kind == QuestionKind.DATE:
            if given:
                result.summary = [(_("Earliest"), min(given)), (_("Latest"), max(given))]
        elif kind == QuestionKind.MAP:
            result.points = [(float(v["lat"]), float(v["lon"])) for v in given]
        elif kind == QuestionKind.AREA:
            for value in given:
                points = [[float(lat), float(lon)] for lat, lon in value.get("points", [])]
                if points:
                    result.areas.append(AreaAnswer(points=points, centre=area_centroid(points)))
        elif kind == QuestionKind.FILE:
            if staff:
                result.files = [(int(v["file"]), str(v.get("name", ""))) for v in given]
        else:
            result.texts = [str(v) for v in given]
        results.append(result)
    return results


def answer_text(question: Question, value: Any, language: str) -> str:
    """An answer as one line of text (exports, tables)."""
    if value is None:
        return ""
    kind = question.kind
    choices = question.config.get("choices", [])
    if kind == QuestionKind.SINGLE:
        if value.get("choice") == "other":
            return f"{_('Other')}: {value.get('other', '')}"
        return choice_label(choices, value.get("choice", ""), language)
    if kind == QuestionKind.MULTIPLE:
        parts = [
            choice_label(choices, key, language)
            for key in value.get("choices", [])
            if key != "other"
        ]
        if "other" in value.get("choices", []):
            parts.append(f"{_('Other')}: {value.get('other', '')}")
        return "; ".join(parts)
    if kind == QuestionKind.RANKING:
        return "; ".join(
            f"{place}. {choice_label(choices, key, language)}"
            for place, key in enumerate(value, start=1)
        )
    if kind == QuestionKind.MATRIX:
        columns = question.config.get("columns", [])
        return "; ".join(
            f"{choice_label(question.config.get('rows', []), row, language)}: "
            f"{choice_label(columns, column, language)}"
            for row, column in value.items()
        )
    if kind == QuestionKind.MAP:
        return f"{value['lat']}, {value['lon']}"
    if kind == QuestionKind.AREA:
        return area_wkt(value.get("points", []))
    if kind == QuestionKind.FILE:
        return str(value.get("name", ""))
    return str(value)


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
