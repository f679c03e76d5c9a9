"""The manifest of volunteering: causes within a phase that residents sign up for."""

from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.registry import Action, Method

MANIFEST = Method(
    key="volunteering",
    label=_("Volunteering"),
    actions=frozenset({Action.VOLUNTEER}),
    capabilities=frozenset(),
    panel="ratusz.consultations.methods.volunteering.panels.render",
    settings_form="ratusz.consultations.methods.volunteering.forms.PhaseSettingsForm",
    staff_url_name="backoffice:volunteering-phase",
    feature="volunteering",
    feature_label=_("Volunteering"),
    personal_data="ratusz.consultations.methods.volunteering.personal_data.DECLARATIONS",
    url_prefix="volunteering/",
    resident_urls="ratusz.consultations.methods.volunteering.public_urls",
    staff_urls="ratusz.consultations.methods.volunteering.staff_urls",
)
