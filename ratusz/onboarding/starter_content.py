"""The built-in city templates: what a new city starts with, written in every city language.

A template's content is plain data (see `TemplateContent`), whether it comes from here or from
an operator saving an existing city as a template:

    {"topics": [{"slug", "name": {lang: text}}],
     "statuses": [{"code", "name": {lang: text}, "color", "is_final"}],
     "projects": [{"slug", "title": {...}, "description": {...},
                   "phases": [{"method", "title": {...}, "description": {...},
                               "starts_in_days", "days"}]}],
     "pages": [{"slug", "kind", "title": {...}, "body": {...}}],
     "standard_pages": bool}

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
    # Said in the wizard when a template stands in for a method that does not exist yet.
    remark: Promise | None = None
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
                # The voting method does not exist yet: an information phase holds its place.
                _phase(
                    "information",
                    _("Voting"),
                    _("<p>Vote for the projects you want the city to carry out.</p>"),
                    65,
                    14,
                    langs,
                ),
            ],
        }
    ]
    return content


def _urban_planning(langs: tuple[str, ...]) -> TemplateContent:
    content = _common(langs)
    content["projects"] = [
        {
            "slug": "urban-plan",
            "title": in_languages(_("Local development plan"), langs),
            "description": in_languages(
                _("<p>Learn about the draft plan and tell us what you think.</p>"), langs
            ),
            # Surveys and events do not exist yet: information phases hold their places.
            "phases": [
                _phase(
                    "information",
                    _("About the draft plan"),
                    _("<p>The draft plan, maps and documents.</p>"),
                    14,
                    14,
                    langs,
                ),
                _phase(
                    "information",
                    _("Survey"),
                    _("<p>Answer a few questions about the draft plan.</p>"),
                    28,
                    21,
                    langs,
                ),
                _phase(
                    "information",
                    _("Public meetings"),
                    _("<p>Meet the planners and ask your questions.</p>"),
                    49,
                    14,
                    langs,
                ),
            ],
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
            remark=_(
                "Voting is not available yet: the voting phase starts as an information phase."
            ),
            methods=("ideation", "information"),
        ),
        Builtin(
            URBAN_PLANNING,
            _("Urban planning consultation"),
            _("Information about a plan, a survey and public meetings."),
            _urban_planning,
            remark=_(
                "Surveys and events are not available yet: their phases start as information "
                "phases."
            ),
            methods=("information",),
        ),
        Builtin(EMPTY, _("Empty"), _("Start from a blank portal."), _empty),
    )
}
