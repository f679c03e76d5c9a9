"""Surveys: a form builder with pages and skip logic, responses, results."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "ratusz.consultations.methods.surveys"
    label = "surveys"
    verbose_name = _("Surveys")
    plane = "city"

    def ready(self) -> None:
        from ratusz.consultations.core.registry import register
        from ratusz.consultations.methods.surveys.manifest import MANIFEST

        register(MANIFEST)
