"""City templates: fill a new city from one, save an existing city as one, retire one.

A template carries the city's own content only (topics, idea statuses, projects and their
phases with their methods' settings, surveys and events, pages): never residents, their
accounts or anything they wrote. Each method's content is built through that method's own
services, as staff would build it.

- `catalogue`: the templates on offer (built-in and saved), retiring one;
- each method builds its own content from template data and reads it back (its manifest's
  `seed` and `capture`, e.g. ratusz.consultations.methods.surveys.seeding), for the templates
  and the demo cities (ratusz.demo) alike;
- `apply`: a new city filled from a template; `capture`: a city saved as one.
"""

from ratusz.onboarding.city_templates.apply import FALLBACK_METHOD, apply_template
from ratusz.onboarding.city_templates.capture import capture_city_content, save_city_as_template
from ratusz.onboarding.city_templates.catalogue import (
    TemplateChoice,
    TemplateRefused,
    available_templates,
    builtin_name,
    plans_remark,
    retire_template,
    retired_templates,
    template_content,
)

__all__ = [
    "FALLBACK_METHOD",
    "TemplateChoice",
    "TemplateRefused",
    "apply_template",
    "available_templates",
    "builtin_name",
    "capture_city_content",
    "plans_remark",
    "retire_template",
    "retired_templates",
    "save_city_as_template",
    "template_content",
]
