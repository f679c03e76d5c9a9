from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "ratusz.consultations.methods.events"
    label = "events"
    verbose_name = _("Events")
    plane = "city"

    def ready(self) -> None:
        from ratusz.consultations.core.registry import Action, ParticipationMethod, register
        from ratusz.consultations.methods.events import reporting

        register(
            ParticipationMethod(
                key="events",
                label=_("Events"),
                actions=frozenset({Action.ATTEND}),
                capabilities=frozenset(),
                default_options={"waiting_list": True},
                panel="ratusz.consultations.methods.events.panels.render",
                settings_form="ratusz.consultations.methods.events.forms.PhaseSettingsForm",
                staff_url_name="backoffice:events-phase",
                feature="events",
                personal_data="ratusz.consultations.methods.events.personal_data.DECLARATIONS",
            )
        )
        reporting.register_reports()
