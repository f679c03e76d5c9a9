"""The built-in templates by code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ratusz.onboarding.starter_content.budget import _participatory_budget
from ratusz.onboarding.starter_content.idea_box import _idea_box
from ratusz.onboarding.starter_content.parts import TemplateContent
from ratusz.onboarding.starter_content.planning import _urban_planning

EMPTY = "empty"


IDEA_BOX = "idea-box"


PARTICIPATORY_BUDGET = "participatory-budget"


URBAN_PLANNING = "urban-planning"


@dataclass(frozen=True)
class Builtin:
    code: str
    name: Promise
    description: Promise
    build: Callable[[tuple[str, ...]], TemplateContent]
    # The participation methods of its phases: the wizard says which plans include them.
    methods: tuple[str, ...] = field(default_factory=tuple)


def _empty(langs: tuple[str, ...]) -> TemplateContent:
    return {"topics": [], "statuses": [], "projects": [], "pages": [], "standard_pages": True}


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
