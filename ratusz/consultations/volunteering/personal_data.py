"""What volunteering holds about a person: the causes they signed up for."""

from __future__ import annotations

from ratusz.accounts.personal_data import OnDeletion, PersonalDataKind

DECLARATIONS = (
    PersonalDataKind(
        name="volunteering",
        model="volunteering.SignUp",
        person_fields=("user",),
        on_deletion=OnDeletion.DELETE,
        hidden_fields=("user",),
    ),
)
