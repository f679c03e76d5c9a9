"""The built-in city templates: what a new city starts with, written in every city language.

A template's content is plain data (see `TemplateContent`), whether it comes from here or from
an operator saving an existing city as a template:

    {"topics": [{"slug", "name": {lang: text}}],
     "statuses": [{"code", "name": {lang: text}, "color", "is_final"}],
     "projects": [{"slug", "title": {...}, "description": {...},
                   "phases": [PHASE, ...]}],
     "pages": [{"slug", "kind", "title": {...}, "body": {...}}],
     "standard_pages": bool}

    PHASE = {"method", "title": {...}, "description": {...}, "starts_in_days", "days",
             # optional, all plain data (no database ids):
             "options": {...},          # the method's settings (phase.options)
             "source_phase": int,       # voting: index, in the project's "phases", of the
                                        # earlier phase whose ideas go on the ballot
             "survey": {"intro": {...}, "thank_you": {...},
                        "pages": [{"title": {...},
                                   "questions": [{"kind", "text": {...}, "help": {...},
                                                  "required", "config"}],
                                   "rules": [{"question": int, "value", "to_page": int|None}]}]},
             "events": [{"title": {...}, "description": {...}, "place": {...},
                         "starts_in_days": int,   # from the phase's first day
                         "at": "HH:MM",           # in the city's time zone
                         "minutes": int, "capacity": int|None, "online_url"}]}

A question's config holds its texts per language too (choice labels, scale labels). A rule's
"question" is the question's index on its page, "to_page" the index of a later page (None: the
end of the survey).

Built-in texts are gettext strings, rendered in each of the city's languages when the template
is applied; saved templates already hold one text per language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TemplateContent = dict[str, Any]

EMPTY = "empty"
IDEA_BOX = "idea-box"
PARTICIPATORY_BUDGET = "participatory-budget"
URBAN_PLANNING = "urban-planning"


def in_languages(text: Promise | str, languages: Iterable[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for language in languages:
        with translation.override(language):
            values[language] = str(text)
    return values


@dataclass(frozen=True)
class Builtin:
    code: str
    name: Promise
    description: Promise
    build: Callable[[tuple[str, ...]], TemplateContent]
    # The participation methods of its phases: the wizard says which plans include them.
    methods: tuple[str, ...] = field(default_factory=tuple)


def _phase(
    method: str,
    title: Promise,
    description: Promise,
    starts: int,
    days: int,
    langs: tuple[str, ...],
) -> dict[str, Any]:
    return {
        "method": method,
        "title": in_languages(title, langs),
        "description": in_languages(description, langs),
        "starts_in_days": starts,
        "days": days,
    }


def _common(langs: tuple[str, ...]) -> TemplateContent:
    topics = [
        ("greenery", _("Greenery")),
        ("transport", _("Transport")),
        ("culture", _("Culture and leisure")),
        ("safety", _("Safety")),
    ]
    return {
        "topics": [{"slug": slug, "name": in_languages(name, langs)} for slug, name in topics],
        "statuses": [],
        "projects": [],
        "pages": [],
        "standard_pages": True,
    }


def _empty(langs: tuple[str, ...]) -> TemplateContent:
    return {"topics": [], "statuses": [], "projects": [], "pages": [], "standard_pages": True}


def _idea_box(langs: tuple[str, ...]) -> TemplateContent:
    content = _common(langs)
    content["statuses"] = [
        {
            "code": "to-be-implemented",
            "name": in_languages(_("To be implemented"), langs),
            "color": "#1b6e3a",
            "is_final": True,
        }
    ]
    content["projects"] = [
        {
            "slug": "idea-box",
            "title": in_languages(_("Idea box"), langs),
            "description": in_languages(
                _("<p>Share your ideas for the city. We answer every one of them.</p>"), langs
            ),
            "phases": [
                _phase(
                    "ideation",
                    _("Collecting ideas"),
                    _("<p>Post ideas, comment and support the ones you like.</p>"),
                    14,
                    90,
                    langs,
                )
            ],
        }
    ]
    return content


# A participatory budget's amount until the city sets its own (in whole units of its currency).
DEFAULT_BUDGET = 500_000
# The public meeting of the urban planning template: three weeks into its phase, in the evening.
MEETING_AFTER_DAYS = 21


def _participatory_budget(langs: tuple[str, ...]) -> TemplateContent:
    content = _common(langs)
    content["statuses"] = [
        {
            "code": "eligible",
            "name": in_languages(_("Eligible for the vote"), langs),
            "color": "#1b6e3a",
            "is_final": False,
        },
        {
            "code": "not-eligible",
            "name": in_languages(_("Not eligible"), langs),
            "color": "#8a1c1c",
            "is_final": True,
        },
    ]
    voting = _phase(
        "voting",
        _("Voting"),
        _(
            "<p>Choose the projects you want the city to carry out, within the budget.</p>"
            "<p><em>Draft: the budget is an example. Set the real amount in the phase "
            "settings, put the ideas found eligible on the ballot and give each its cost "
            "before the vote opens.</em></p>"
        ),
        65,
        14,
        langs,
    )
    voting["options"] = {
        "voting_mode": "budget",
        "budget": DEFAULT_BUDGET,
        "min_spend": 0,
        # Ideas the city accepted, or found eligible while checking them, go on the ballot.
        "source_statuses": ["accepted", "eligible"],
        "verification": ["census", "codes"],
        "live_results": False,
        "public_results": True,
    }
    voting["source_phase"] = 0
    content["projects"] = [
        {
            "slug": "participatory-budget",
            "title": in_languages(_("Participatory budget"), langs),
            "description": in_languages(
                _("<p>Residents propose projects, the city checks them, residents vote.</p>"),
                langs,
            ),
            "phases": [
                _phase(
                    "ideation",
                    _("Proposals"),
                    _("<p>Propose a project for the city's budget.</p>"),
                    14,
                    30,
                    langs,
                ),
                _phase(
                    "information",
                    _("Checking the proposals"),
                    _("<p>City staff check that each proposal can be carried out.</p>"),
                    44,
                    21,
                    langs,
                ),
                voting,
            ],
        }
    ]
    return content


def _choices(langs: tuple[str, ...], *labels: Promise) -> list[dict[str, Any]]:
    return [
        {"key": f"c{number}", "label": in_languages(label, langs)}
        for number, label in enumerate(labels, start=1)
    ]


def _question(
    kind: str,
    text: Promise,
    langs: tuple[str, ...],
    *,
    required: bool = True,
    config: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "text": in_languages(text, langs),
        "help": {},
        "required": required,
        "config": config or {},
    }


def _scale(langs: tuple[str, ...], low: Promise, high: Promise) -> dict[str, Any]:
    return {
        "min": 1,
        "max": 5,
        "min_label": in_languages(low, langs),
        "max_label": in_languages(high, langs),
    }


def _planning_survey(langs: tuple[str, ...]) -> dict[str, Any]:
    """A short survey about a draft plan, ready to publish or to adapt: two pages, five
    questions (a single choice, linear scales, a multiple choice, a long text)."""
    return {
        "intro": in_languages(
            _("Five questions about the draft plan. It takes about three minutes."), langs
        ),
        "thank_you": in_languages(
            _("Thank you. We will publish a summary of the answers with the final plan."), langs
        ),
        "pages": [
            {
                "title": in_languages(_("You and the area"), langs),
                "questions": [
                    _question(
                        "single",
                        _("How do you know the area covered by the plan?"),
                        langs,
                        config={
                            "choices": _choices(
                                langs,
                                _("I live there"),
                                _("I work or study there"),
                                _("I visit it"),
                                _("I hardly know it"),
                            ),
                            "allow_other": False,
                        },
                    ),
                    _question(
                        "scale",
                        _("How do you rate the area as it is today?"),
                        langs,
                        config=_scale(langs, _("Very poorly"), _("Very well")),
                    ),
                ],
                "rules": [],
            },
            {
                "title": in_languages(_("The draft plan"), langs),
                "questions": [
                    _question(
                        "multiple",
                        _("What matters most to you in the plan?"),
                        langs,
                        required=False,
                        config={
                            "choices": _choices(
                                langs,
                                _("Green spaces"),
                                _("Housing"),
                                _("Roads and parking"),
                                _("Public transport, walking and cycling"),
                                _("Shops and services"),
                            ),
                            "allow_other": False,
                        },
                    ),
                    _question(
                        "scale",
                        _("How much do you support the draft plan?"),
                        langs,
                        config=_scale(langs, _("Not at all"), _("Fully")),
                    ),
                    _question(
                        "long_text",
                        _("What would you change in the draft plan, and why?"),
                        langs,
                        required=False,
                    ),
                ],
                "rules": [],
            },
        ],
    }


def _urban_planning(langs: tuple[str, ...]) -> TemplateContent:
    content = _common(langs)
    information = _phase(
        "information",
        _("About the draft plan"),
        _(
            "<p>The draft plan, maps and documents.</p>"
            "<h3>Documents</h3>"
            "<p><em>Draft: add the draft plan, its maps and the forecast of its effects as "
            "files of this project, and say here in a sentence what each of them shows.</em></p>"
        ),
        14,
        14,
        langs,
    )
    survey = _phase(
        "survey",
        _("Survey"),
        _("<p>Answer a few questions about the draft plan.</p>"),
        28,
        21,
        langs,
    )
    survey["survey"] = _planning_survey(langs)
    meetings = _phase(
        "events",
        _("Public meetings"),
        _("<p>Meet the planners and ask your questions.</p>"),
        49,
        28,
        langs,
    )
    meetings["events"] = [
        {
            "title": in_languages(_("Public meeting about the draft plan"), langs),
            "description": in_languages(
                _(
                    "<p>The planners present the draft plan and answer questions.</p>"
                    "<p><em>Draft: check the date, the time and the place before you "
                    "publish the project.</em></p>"
                ),
                langs,
            ),
            "place": in_languages(_("To be announced"), langs),
            "starts_in_days": MEETING_AFTER_DAYS,
            "at": "18:00",
            "minutes": 120,
            "capacity": None,
            "online_url": "",
        }
    ]
    content["projects"] = [
        {
            "slug": "urban-plan",
            "title": in_languages(_("Local development plan"), langs),
            "description": in_languages(
                _("<p>Learn about the draft plan and tell us what you think.</p>"), langs
            ),
            "phases": [information, survey, meetings],
        }
    ]
    return content


BUILTINS: dict[str, Builtin] = {
    builtin.code: builtin
    for builtin in (
        Builtin(
            IDEA_BOX,
            _("Idea box"),
            _("A project collecting residents' ideas all year round."),
            _idea_box,
            methods=("ideation",),
        ),
        Builtin(
            PARTICIPATORY_BUDGET,
            _("Participatory budget"),
            _("Proposals, checking by the city, then a vote."),
            _participatory_budget,
            methods=("ideation", "information", "voting"),
        ),
        Builtin(
            URBAN_PLANNING,
            _("Urban planning consultation"),
            _("Information about a plan, a survey and public meetings."),
            _urban_planning,
            methods=("information", "survey", "events"),
        ),
        Builtin(EMPTY, _("Empty"), _("Start from a blank portal."), _empty),
    )
}
