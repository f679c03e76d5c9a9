"""The participatory budget: proposals, checking by the city, then a vote."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ratusz.onboarding.starter_content.parts import TemplateContent, _common, _phase, in_languages

# A participatory budget's amount until the city sets its own (in whole units of its currency).
DEFAULT_BUDGET = 500_000


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
