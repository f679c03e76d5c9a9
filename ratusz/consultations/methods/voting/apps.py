from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "ratusz.consultations.methods.voting"
    label = "voting"
    verbose_name = _("Voting and participatory budgets")
    plane = "city"

    def ready(self) -> None:
        from ratusz.consultations.core.registry import Action, ParticipationMethod, register
        from ratusz.consultations.methods.voting import reports
        from ratusz.consultations.methods.voting.rules import DEFAULT_OPTIONS

        register(
            ParticipationMethod(
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
                results_url_name="voting:results",
                results_visible="ratusz.consultations.methods.voting.rules.can_see_results",
                personal_data="ratusz.consultations.methods.voting.personal_data.DECLARATIONS",
            )
        )
        reports.register()
