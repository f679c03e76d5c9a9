from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "ratusz.consultations.voting"
    label = "voting"
    verbose_name = _("Voting and participatory budgets")
    plane = "city"

    def ready(self) -> None:
        from ratusz.consultations.methods import Action, ParticipationMethod, register
        from ratusz.consultations.voting import reports
        from ratusz.consultations.voting.rules import DEFAULT_OPTIONS

        register(
            ParticipationMethod(
                key="voting",
                label=_("Voting"),
                actions=frozenset({Action.VOTE}),
                capabilities=frozenset(),
                default_options=dict(DEFAULT_OPTIONS),
                default_who={Action.VOTE.value: "confirmed"},
                panel="ratusz.consultations.voting.panels.render",
                settings_form="ratusz.consultations.voting.forms.PhaseSettingsForm",
                staff_url_name="backoffice:voting-phase",
                feature="voting",
                results_url_name="voting:results",
                results_visible="ratusz.consultations.voting.rules.can_see_results",
                personal_data="ratusz.consultations.voting.personal_data.DECLARATIONS",
            )
        )
        reports.register()
