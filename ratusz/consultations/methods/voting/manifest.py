"""The manifest of voting: participatory budgets and votes on ideas, online and on paper."""

from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.registry import Action, Method, StaffNavEntry
from ratusz.consultations.methods.voting.rules import DEFAULT_OPTIONS

MANIFEST = Method(
    key="voting",
    label=_("Voting"),
    actions=frozenset({Action.VOTE}),
    capabilities=frozenset(),
    default_options=dict(DEFAULT_OPTIONS),
    default_who={Action.VOTE.value: "confirmed"},
    panel="ratusz.consultations.methods.voting.panels.render",
    settings_form="ratusz.consultations.methods.voting.forms.PhaseSettingsForm",
    staff_url_name="backoffice:voting-phase",
    feature="voting",
    feature_label=_("Voting and participatory budgets"),
    results_url_name="voting:results",
    results_visible="ratusz.consultations.methods.voting.rules.can_see_results",
    personal_data="ratusz.consultations.methods.voting.personal_data.DECLARATIONS",
    usage_counts="ratusz.consultations.methods.voting.selectors.usage_counts",
    metrics=("ratusz.consultations.methods.voting.reporting.BALLOTS",),
    exports=("ratusz.consultations.methods.voting.reporting.RESULTS",),
    url_prefix="voting/",
    resident_urls="ratusz.consultations.methods.voting.public_urls",
    staff_urls="ratusz.consultations.methods.voting.staff_urls",
    staff_nav=(
        StaffNavEntry("backoffice:voting-census", _("Census list"), administrators_only=True),
    ),
)
