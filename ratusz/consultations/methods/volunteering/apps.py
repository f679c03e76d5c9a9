from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "ratusz.consultations.methods.volunteering"
    label = "volunteering"
    verbose_name = _("Volunteering")
    plane = "city"

    def ready(self) -> None:
        from ratusz.consultations.core.registry import register
        from ratusz.consultations.methods.volunteering.manifest import MANIFEST

        register(MANIFEST)
