from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "ratusz.consultations.methods.voting"
    label = "voting"
    verbose_name = _("Voting and participatory budgets")
    plane = "city"

    def ready(self) -> None:
        from ratusz.consultations.core.registry import register
        from ratusz.consultations.methods.voting.manifest import MANIFEST

        register(MANIFEST)
