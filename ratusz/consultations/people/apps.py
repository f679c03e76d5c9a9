from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "ratusz.consultations.people"
    label = "people"
    verbose_name = _("People")
    plane = "city"

    def ready(self) -> None:
        from ratusz.accounts.extensions import (
            register_invitation_accepted_hook,
            register_signup_extension,
        )
        from ratusz.accounts.personal_data import register_personal_data
        from ratusz.consultations.core.rules import register_person_check
        from ratusz.consultations.participation.events import listen
        from ratusz.consultations.people import services, signup, tasks  # noqa: F401  # tasks: registers them with Celery
        from ratusz.consultations.people.personal_data import DECLARATIONS
        from ratusz.consultations.people.rules import profile_refusal

        register_signup_extension("people", signup.extension)
        register_invitation_accepted_hook(services.on_invitation_accepted)
        register_personal_data(*DECLARATIONS)
        listen(services.on_input_event)
        register_person_check(profile_refusal, staff_too=False)
