from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "ratusz.consultations.methods.events"
    label = "events"
    verbose_name = _("Events")
    plane = "city"

    def ready(self) -> None:
        from ratusz.consultations.core.registry import register
        from ratusz.consultations.methods.events.manifest import MANIFEST

        register(MANIFEST)
