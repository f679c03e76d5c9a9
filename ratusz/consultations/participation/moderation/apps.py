from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "ratusz.consultations.participation.moderation"
    label = "moderation"
    verbose_name = _("Moderation")
    plane = "city"

    def ready(self) -> None:
        from ratusz.accounts.personal_data import register_personal_data
        from ratusz.consultations.participation.moderation.personal_data import DECLARATIONS

        register_personal_data(*DECLARATIONS)
        from ratusz.consultations.participation.moderation.services import seed_word_filter
        from ratusz.tenants.initializers import register_city_initializer

        register_city_initializer(seed_word_filter)
        from ratusz.consultations.core.rules import register_person_check
        from ratusz.consultations.participation.moderation.rules import blocked_refusal

        register_person_check(blocked_refusal, staff_too=True)
