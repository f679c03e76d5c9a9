from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ratusz.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    # One accounts table per schema: residents and city staff in their city's schema,
    # operators and partners in public. Never shared between schemas.
    plane = "every-schema"
