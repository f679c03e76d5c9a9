"""Surveys: a form builder with pages and skip logic, responses, results."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "ratusz.consultations.methods.surveys"
    label = "surveys"
    verbose_name = _("Surveys")
    plane = "city"

    def ready(self) -> None:
        from ratusz.consultations.core.registry import Action, ParticipationMethod, register
        from ratusz.consultations.methods.surveys import exports

        register(
            ParticipationMethod(
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
                personal_data="ratusz.consultations.methods.surveys.personal_data.DECLARATIONS",
                results_url_name="surveys:results",
                results_visible="ratusz.consultations.methods.surveys.rules.can_see_results",
            )
        )
        exports.register()
