"""A survey as template data, both ways: the surveys' `seed` builds a new phase's survey from
a city template's phase (through the surveys' services, as staff build it), `capture` reads a
phase's survey back into template data. Used by onboarding's city templates and the demo
cities; the data is plain JSON (it is stored in a template), every text a dict of language ->
text, kept to the city's languages:

    phase["survey"] = {
        "intro": {...}, "thank_you": {...},
        "pages": [{
            "title": {...},
            "questions": [{"kind": "single", "text": {...}, "help": {...}, "required": True,
                           "config": {"choices": [{"key": "c1", "label": {...}}, ...]}}],
            # when question 0 (of this page) is answered "c2", go to page 2 (None: the end)
            "rules": [{"question": 0, "value": "c2", "to_page": 2}],
        }],
    }
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from ratusz.accounts.models import User
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.translation import in_languages
from ratusz.consultations.methods.surveys import services as surveys
from ratusz.consultations.methods.surveys.models import Survey, SurveyPage
from ratusz.tenants.context import CityRef

# Texts of a question's configuration written per language (choices, rows, scale ends).
_LABELLED_LISTS = ("choices", "rows", "columns")
_LABELS = ("min_label", "max_label")


def config_in(config: dict[str, Any], languages: tuple[str, ...]) -> dict[str, Any]:
    """A question's configuration with its texts in the city's languages."""
    localised = dict(config)
    for name in _LABELLED_LISTS:
        if name in config:
            localised[name] = [
                {**item, "label": in_languages(dict(item.get("label") or {}), languages)}
                for item in config[name]
            ]
    for name in _LABELS:
        if name in config:
            localised[name] = in_languages(dict(config[name] or {}), languages)
    return localised


def build_survey(
    *, phase: Phase, spec: dict[str, Any], staff: User, languages: tuple[str, ...]
) -> list[SurveyPage]:
    """The survey of `spec` (see above) in `phase`, built by `staff` through the surveys'
    services; returns its pages in order (none when `spec` has none: the survey keeps the
    untitled page ensure_survey made). A rule naming a question or a page that is not there,
    or a page that is not further on, is left out."""
    survey = surveys.ensure_survey(phase=phase)
    surveys.update_texts(
        staff=staff,
        survey=survey,
        intro=in_languages(spec.get("intro", {}), languages),
        thank_you=in_languages(spec.get("thank_you", {}), languages),
    )
    page_specs = list(spec.get("pages", []))
    if not page_specs:
        return []
    # ensure_survey made one untitled page; the template's pages replace it.
    blank = list(survey.pages.all())
    pages = [
        surveys.add_page(
            staff=staff, survey=survey, title=in_languages(page.get("title", {}), languages)
        )
        for page in page_specs
    ]
    for page in blank:
        surveys.delete_page(staff=staff, page=page)
    for number, (page, page_spec) in enumerate(zip(pages, page_specs, strict=True)):
        questions = [
            surveys.save_question(
                staff=staff,
                survey=survey,
                page=page,
                kind=question["kind"],
                text=in_languages(question.get("text", {}), languages),
                help_text=in_languages(question.get("help", {}), languages),
                required=bool(question.get("required")),
                config=config_in(dict(question.get("config") or {}), languages),
            )
            for question in page_spec.get("questions", [])
        ]
        for rule in page_spec.get("rules", []):
            to_page = rule.get("to_page")
            asked = rule.get("question")
            if not isinstance(asked, int) or not 0 <= asked < len(questions):
                continue
            if to_page is not None and not number < int(to_page) < len(pages):
                continue
            surveys.add_rule(
                staff=staff,
                page=page,
                question=questions[asked],
                value=str(rule.get("value", "")),
                target=None if to_page is None else pages[int(to_page)],
            )
    return pages


def seed_phase(*, phase: Phase, spec: dict[str, Any], staff: User, city: CityRef) -> None:
    """The surveys' `seed`: the survey of a template's phase, if it has one."""
    if spec.get("survey"):
        build_survey(phase=phase, spec=spec["survey"], staff=staff, languages=city.languages)


def capture_survey(phase: Phase) -> dict[str, Any] | None:
    survey = (
        Survey.objects.filter(phase=phase)
        .prefetch_related("pages__questions", "pages__rules")
        .first()
    )
    if survey is None:
        return None
    pages = list(survey.pages.all())
    index = {page.pk: number for number, page in enumerate(pages)}
    captured = []
    for page in pages:
        questions = list(page.questions.all())
        positions = {question.pk: number for number, question in enumerate(questions)}
        rules = [
            {
                "question": positions[rule.question_id],
                "value": rule.value,
                "to_page": index[rule.target_id] if rule.target_id else None,
            }
            for rule in page.rules.all()
            # A rule whose question or target page was deleted is broken: not carried.
            if rule.question_id in positions
            and (rule.to_end or (rule.target_id is not None and rule.target_id in index))
        ]
        captured.append(
            {
                "title": page.title,
                "questions": [
                    {
                        "kind": question.kind,
                        "text": question.text,
                        "help": question.help,
                        "required": question.required,
                        "config": question.config,
                    }
                    for question in questions
                ],
                "rules": rules,
            }
        )
    return {"intro": survey.intro, "thank_you": survey.thank_you, "pages": captured}


def capture_phase(*, phase: Phase, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
    """The surveys' `capture`: the phase's survey as template data ({} without one)."""
    survey = capture_survey(phase)
    return {} if survey is None else {"survey": survey}
