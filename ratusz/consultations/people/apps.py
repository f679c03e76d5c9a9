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
        from ratusz.accounts.personal_data import (
            register_account_deletion_hook,
            register_personal_data_provider,
        )
        from ratusz.consultations.ideation.events import listen
        from ratusz.consultations.people import selectors, services, signup, tasks  # noqa: F401  # tasks: registers them with Celery

        register_signup_extension("people", signup.extension)
        register_invitation_accepted_hook(services.on_invitation_accepted)
        register_personal_data_provider("registration", selectors.personal_data)
        register_account_deletion_hook(services.forget_answers)
        listen(services.on_idea_event)
