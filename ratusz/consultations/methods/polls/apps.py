"""Polls: quick single- or multiple-choice questions inside a phase."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "ratusz.consultations.methods.polls"
    label = "polls"
    verbose_name = _("Polls")
    plane = "city"

    def ready(self) -> None:
        from ratusz.consultations.core.registry import Action, ParticipationMethod, register

        register(
            ParticipationMethod(
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
                personal_data="ratusz.consultations.methods.polls.personal_data.DECLARATIONS",
            )
        )
