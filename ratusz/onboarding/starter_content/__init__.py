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

Modules: parts (the pieces), one module per built-in template (idea_box, budget, planning),
catalogue (the built-ins by code).
"""

from ratusz.onboarding.starter_content.budget import (
    DEFAULT_BUDGET,
)
from ratusz.onboarding.starter_content.catalogue import (
    BUILTINS,
    EMPTY,
    IDEA_BOX,
    PARTICIPATORY_BUDGET,
    URBAN_PLANNING,
    Builtin,
)
from ratusz.onboarding.starter_content.parts import (
    TemplateContent,
    in_languages,
)
from ratusz.onboarding.starter_content.planning import (
    MEETING_AFTER_DAYS,
)

__all__ = [
    "BUILTINS",
    "DEFAULT_BUDGET",
    "EMPTY",
    "IDEA_BOX",
    "MEETING_AFTER_DAYS",
    "PARTICIPATORY_BUDGET",
    "URBAN_PLANNING",
    "Builtin",
    "TemplateContent",
    "in_languages",
]
