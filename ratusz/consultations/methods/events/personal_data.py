"""What events hold about a person: their registrations. A seat at an upcoming event goes to
whoever waits before the registration goes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ratusz.accounts.personal_data import OnDeletion, PersonalDataKind
from ratusz.consultations.methods.events.services import release_seats_of_deleted_account

DECLARATIONS = (
    PersonalDataKind(
        name="event_registrations",
        label=_("Your event registrations"),
        model="events.Registration",
        person_fields=("user",),
        on_deletion=OnDeletion.DELETE,
        hidden_fields=("user",),
        before_deletion=release_seats_of_deleted_account,
    ),
)
