"""Template data -> a method's content, through the method's own services, as staff build it.

The one implementation of "build this survey / this event from data": the wizard's templates
(`apply`) and the demo cities (ratusz.demo) both call it; a method's seed hook can too. The data
is plain JSON (it is stored in CityTemplate.content), every text a dict of language -> text,
kept to the city's languages by `in_languages`:

    survey = {
        "intro": {...}, "thank_you": {...},
        "pages": [{
            "title": {...},
            "questions": [{"kind": "single", "text": {...}, "help": {...}, "required": True,
                           "config": {"choices": [{"key": "c1", "label": {...}}, ...]}}],
            # when question 0 (of this page) is answered "c2", go to page 2 (None: the end)
            "rules": [{"question": 0, "value": "c2", "to_page": 2}],
        }],
    }
    event = {"title": {...}, "description": {...}, "place": {...}, "starts_in_days": 3,
             "at": "18:00", "minutes": 120, "capacity": 40, "online_url": ""}
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta
from typing import Any

from ratusz.accounts.models import User
from ratusz.consultations.core.models import Phase
from ratusz.consultations.methods.events import services as events
from ratusz.consultations.methods.events.models import Event
from ratusz.consultations.methods.surveys import services as surveys
from ratusz.consultations.methods.surveys.models import SurveyPage
from ratusz.tenants.context import CityRef

# Texts of a question's configuration written per language (choices, rows, scale ends).
_LABELLED_LISTS = ("choices", "rows", "columns")
_LABELS = ("min_label", "max_label")


def in_languages(values: dict[str, str], languages: tuple[str, ...]) -> dict[str, str]:
    """Keep the city's languages; a language the template lacks gets the first text it has,
    for the city to translate (better than an empty title)."""
    fallback = next(iter(values.values()), "")
    return {language: values.get(language) or fallback for language in languages if fallback}


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


def add_event(*, phase: Phase, spec: dict[str, Any], city: CityRef) -> Event:
    """A draft event of the template, on the day `starts_in_days` after the phase's first
    day, at its local time; the project is a draft, so nobody sees it before staff publish."""
    zone = zoneinfo.ZoneInfo(city.time_zone)
    day = phase.starts_at.astimezone(zone).date() + timedelta(
        days=int(spec.get("starts_in_days", 0))
    )
    hour, minute = (int(part) for part in str(spec.get("at", "18:00")).split(":"))
    starts = datetime.combine(day, time(hour, minute), tzinfo=zone)
    return events.create_event(
        phase=phase,
        details=events.EventDetails(
            title=in_languages(spec.get("title", {}), city.languages),
            description=in_languages(spec.get("description", {}), city.languages),
            place=in_languages(spec.get("place", {}), city.languages),
            starts_at=starts,
            ends_at=starts + timedelta(minutes=max(1, int(spec.get("minutes", 120)))),
            online_url=str(spec.get("online_url") or ""),
            capacity=spec.get("capacity"),
        ),
    )
