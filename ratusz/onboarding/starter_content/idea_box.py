"""The idea box: a project collecting residents' ideas all year round."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ratusz.onboarding.starter_content.parts import TemplateContent, _common, _phase, in_languages


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
