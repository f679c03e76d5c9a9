from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "ratusz.consultations.core"
    label = "consultations"
    verbose_name = _("Consultations")
    plane = "city"

    def ready(self) -> None:
        from ratusz.accounts.personal_data import register_personal_data
        from ratusz.consultations.core.personal_data import DECLARATIONS

        register_personal_data(*DECLARATIONS)
        from ratusz.consultations.core.services import initialize_portal
        from ratusz.tenants.initializers import register_city_initializer

        register_city_initializer(initialize_portal)
