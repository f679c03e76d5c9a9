"""Dashboard and reports; exports of what people said (CSV, XLSX) as background tasks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "ratusz.consultations.reports"
    label = "reports"
    verbose_name = _("Reports")
    plane = "city"

    def ready(self) -> None:
        from ratusz.accounts.personal_data import register_personal_data
        from ratusz.consultations.reports import builtin
        from ratusz.consultations.reports.personal_data import DECLARATIONS

        register_personal_data(*DECLARATIONS)
        builtin.register()
