from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "ratusz.onboarding"
    label = "onboarding"
    verbose_name = _("Onboarding")
    plane = "control"

    def ready(self) -> None:
        from ratusz.accounts.personal_data import register_personal_data
        from ratusz.onboarding.personal_data import DECLARATIONS

        register_personal_data(*DECLARATIONS)
