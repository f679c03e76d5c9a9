from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "ratusz.tenants"
    label = "tenants"
    verbose_name = _("Cities")
    plane = "control"

    def ready(self) -> None:
        # The control plane's own periodic tasks, registered in every process (beat and
        # fan-outs name them); other apps' tasks are found when first queued by name.
        from ratusz.tenants import (
            page_cache,
            tasks,  # noqa: F401
        )

        page_cache.listen_to_city_writes()
