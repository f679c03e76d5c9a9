from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "ratusz.consultations.insight"
    label = "insight"
    verbose_name = _("Themes")
    plane = "city"

    def ready(self) -> None:
        from ratusz.accounts.personal_data import register_personal_data
        from ratusz.consultations.insight.personal_data import DECLARATIONS

        register_personal_data(*DECLARATIONS)
