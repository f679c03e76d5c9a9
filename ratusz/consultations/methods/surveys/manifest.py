"""The manifest of surveys: a form builder with pages and skip logic, responses, results."""

from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.registry import Action, Method

MANIFEST = Method(
    key="survey",
    label=_("Survey"),
    actions=frozenset({Action.ANSWER}),
    capabilities=frozenset(),
    default_options={
        "anonymous": False,
        "allow_without_account": False,
        "results_public": False,
    },
    panel="ratusz.consultations.methods.surveys.panels.render",
    settings_form="ratusz.consultations.methods.surveys.forms.PhaseSettingsForm",
    staff_url_name="backoffice:surveys-edit",
    feature="surveys",
    feature_label=_("Surveys"),
    personal_data="ratusz.consultations.methods.surveys.personal_data.DECLARATIONS",
    seed="ratusz.consultations.methods.surveys.seeding.seed_phase",
    capture="ratusz.consultations.methods.surveys.seeding.capture_phase",
    metrics=("ratusz.consultations.methods.surveys.exports.SURVEY_ANSWERS",),
    exports=("ratusz.consultations.methods.surveys.exports.SURVEY_DATASET",),
    results_url_name="surveys:results",
    results_visible="ratusz.consultations.methods.surveys.rules.can_see_results",
    url_prefix="surveys/",
    resident_urls="ratusz.consultations.methods.surveys.public_urls",
    staff_urls="ratusz.consultations.methods.surveys.staff_urls",
)
