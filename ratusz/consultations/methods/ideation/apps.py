from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeationConfig(AppConfig):
    name = "ratusz.consultations.methods.ideation"
    label = "ideation"
    verbose_name = _("Ideas")
    plane = "city"

    def ready(self) -> None:
        from ratusz.accounts.personal_data import register_personal_data
        from ratusz.consultations.methods.ideation.personal_data import DECLARATIONS

        register_personal_data(*DECLARATIONS)
