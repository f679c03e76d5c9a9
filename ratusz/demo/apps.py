from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo cities of `make run` (Gdańsk, Springfield) and the `seed_demo` command.

    Development data, not a product feature: no models and no tables, and nothing in the
    product imports it (an import-linter contract keeps that)."""

    name = "ratusz.demo"
    label = "demo"
    verbose_name = _("Demo cities")
    plane = "dev"
