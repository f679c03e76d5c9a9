from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "ratusz.consultations.proposals"
    label = "proposals"
    verbose_name = _("Proposals")
    plane = "city"

    def ready(self) -> None:
        from ratusz.consultations.methods import Action, ParticipationMethod, register
        from ratusz.consultations.proposals import reporting

        register(
            ParticipationMethod(
                key="proposals",
                label=_("Proposals"),
                actions=frozenset({Action.POST, Action.VOTE}),
                capabilities=frozenset(),
                default_options={"threshold": 100, "days": 90},
                panel="ratusz.consultations.proposals.panels.render",
                settings_form="ratusz.consultations.proposals.forms.PhaseSettingsForm",
                staff_url_name="backoffice:proposals-phase",
                feature="proposals",
                personal_data="ratusz.consultations.proposals.personal_data.DECLARATIONS",
            )
        )
        reporting.register_reports()
