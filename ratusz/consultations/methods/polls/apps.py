"""Polls: quick single- or multiple-choice questions inside a phase."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "ratusz.consultations.methods.polls"
    label = "polls"
    verbose_name = _("Polls")
    plane = "city"

    def ready(self) -> None:
        from ratusz.consultations.core.registry import register
        from ratusz.consultations.methods.polls.manifest import MANIFEST

        register(MANIFEST)
