"""The urban planning consultation: information about a plan, a survey and public meetings."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ratusz.onboarding.starter_content.parts import (
    TemplateContent,
    _choices,
    _common,
    _phase,
    _question,
    _scale,
    in_languages,
)

# The public meeting of the urban planning template: three weeks into its phase, in the evening.
MEETING_AFTER_DAYS = 21


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
