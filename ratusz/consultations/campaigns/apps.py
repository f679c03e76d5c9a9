from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "ratusz.consultations.campaigns"
    label = "campaigns"
    verbose_name = _("E-mail campaigns")
    plane = "city"

    def ready(self) -> None:
        from ratusz.accounts.personal_data import register_personal_data
        from ratusz.consultations.campaigns.personal_data import DECLARATIONS
        from ratusz.consultations.campaigns.selectors import usage_counts
        from ratusz.consultations.core.usage import register_usage_counts

        register_personal_data(*DECLARATIONS)
        register_usage_counts("campaigns", usage_counts)
        from ratusz.consultations.campaigns.city_emails import CampaignsCityEmails
        from ratusz.consultations.participation.notifications.city_emails import (
            register_city_emails,
        )

        register_city_emails(CampaignsCityEmails())
