from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "ratusz.consultations.methods.proposals"
    label = "proposals"
    verbose_name = _("Proposals")
    plane = "city"

    def ready(self) -> None:
        from ratusz.consultations.core.registry import register
        from ratusz.consultations.methods.proposals.manifest import MANIFEST

        register(MANIFEST)
