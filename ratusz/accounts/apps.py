from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ratusz.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    # One accounts table per schema: residents and city staff in their city's schema,
    # operators and partners in public. Never shared between schemas.
    plane = "every-schema"
    # Account settings (policy versions, the staff two-factor rule) are seeded by the data
    # migration 0003 into every schema, the template included, so a new city has them from the
    # start. City-plane apps register what they hold about a person in
    # ratusz.accounts.personal_data (data download, anonymisation on account deletion).

    def ready(self) -> None:
        from ratusz.accounts.declarations import DECLARATIONS
        from ratusz.accounts.personal_data import register_personal_data

        register_personal_data(*DECLARATIONS)
