from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "ratusz.consultations.participation.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    plane = "city"

    def ready(self) -> None:
        from ratusz.accounts.extensions import register_email_confirmed_hook
        from ratusz.accounts.personal_data import register_personal_data
        from ratusz.consultations.core.usage import register_usage_counts
        from ratusz.consultations.participation.events import listen
        from ratusz.consultations.participation.notifications.personal_data import DECLARATIONS
        from ratusz.consultations.participation.notifications.selectors import usage_counts
        from ratusz.consultations.participation.notifications.services import (
            on_input_event,
            welcome_after_confirmation,
        )

        listen(on_input_event)
        register_personal_data(*DECLARATIONS)
        register_email_confirmed_hook(welcome_after_confirmation)
        register_usage_counts("notifications", usage_counts)
