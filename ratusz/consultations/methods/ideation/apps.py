from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeationConfig(AppConfig):
    name = "ratusz.consultations.methods.ideation"
    label = "ideation"
    verbose_name = _("Ideas")
    plane = "city"

    def ready(self) -> None:
        from ratusz.consultations.core.registry import register
        from ratusz.consultations.methods.ideation.manifest import MANIFEST

        register(MANIFEST)
