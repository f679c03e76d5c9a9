"""The manifest of polls: quick single- or multiple-choice questions inside a phase."""

from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.registry import Action, Method

MANIFEST = Method(
    key="poll",
    label=_("Poll"),
    actions=frozenset({Action.VOTE}),
    capabilities=frozenset(),
    # "after_vote" or "after_phase"
    default_options={"show_results": "after_vote"},
    panel="ratusz.consultations.methods.polls.panels.render",
    settings_form="ratusz.consultations.methods.polls.forms.PhaseSettingsForm",
    staff_url_name="backoffice:polls-manage",
    feature="polls",
    feature_label=_("Polls"),
    personal_data="ratusz.consultations.methods.polls.personal_data.DECLARATIONS",
    usage_counts="ratusz.consultations.methods.polls.selectors.usage_counts",
    url_prefix="polls/",
    resident_urls="ratusz.consultations.methods.polls.public_urls",
    staff_urls="ratusz.consultations.methods.polls.staff_urls",
)
