from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "ratusz.consultations.methods.proposals"
    label = "proposals"
    verbose_name = _("Proposals")
    plane = "city"

    def ready(self) -> None:
        from ratusz.consultations.core.registry import Action, ParticipationMethod, register
        from ratusz.consultations.methods.proposals import reporting

        register(
            ParticipationMethod(
                key="proposals",
                label=_("Proposals"),
                actions=frozenset({Action.POST, Action.VOTE}),
                capabilities=frozenset(),
                default_options={"threshold": 100, "days": 90},
                panel="ratusz.consultations.methods.proposals.panels.render",
                settings_form="ratusz.consultations.methods.proposals.forms.PhaseSettingsForm",
                staff_url_name="backoffice:proposals-phase",
                feature="proposals",
                personal_data="ratusz.consultations.methods.proposals.personal_data.DECLARATIONS",
            )
        )
        reporting.register_reports()
