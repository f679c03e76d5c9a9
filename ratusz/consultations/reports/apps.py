"""Dashboard and reports; exports of what people said (CSV, XLSX) as background tasks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "ratusz.consultations.reports"
    label = "reports"
    verbose_name = _("Reports")
    plane = "city"

    def ready(self) -> None:
        from ratusz.consultations.reports import builtin

        builtin.register()
