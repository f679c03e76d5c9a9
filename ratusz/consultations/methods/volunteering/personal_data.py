"""What volunteering holds about a person: the causes they signed up for."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ratusz.accounts.personal_data import OnDeletion, PersonalDataKind

DECLARATIONS = (
    PersonalDataKind(
        name="volunteering",
        label=_("Causes you signed up for"),
        model="volunteering.SignUp",
        person_fields=("user",),
        on_deletion=OnDeletion.DELETE,
        hidden_fields=("user",),
    ),
)
