from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "ratusz.consultations.methods.volunteering"
    label = "volunteering"
    verbose_name = _("Volunteering")
    plane = "city"

    def ready(self) -> None:
        from ratusz.consultations.core.registry import Action, ParticipationMethod, register

        register(
            ParticipationMethod(
                key="volunteering",
                label=_("Volunteering"),
                actions=frozenset({Action.VOLUNTEER}),
                capabilities=frozenset(),
                panel="ratusz.consultations.methods.volunteering.panels.render",
                settings_form="ratusz.consultations.methods.volunteering.forms.PhaseSettingsForm",
                staff_url_name="backoffice:volunteering-phase",
                feature="volunteering",
                personal_data="ratusz.consultations.methods.volunteering.personal_data.DECLARATIONS",
            )
        )
