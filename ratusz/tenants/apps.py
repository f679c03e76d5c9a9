from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "ratusz.tenants"
    label = "tenants"
    verbose_name = _("Cities")
    plane = "control"

    def ready(self) -> None:
        from ratusz.tenants import page_cache

        page_cache.listen_to_city_writes()
