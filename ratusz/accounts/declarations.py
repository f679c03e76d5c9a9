"""What the accounts app holds about a person besides the account row (profile.json): its
e-mail addresses, consents, second factors and the invitation it accepted."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ratusz.accounts.personal_data import OnDeletion, PersonalDataKind


def _authenticator(row: Any) -> dict[str, Any]:
    # Never the secret or the recovery codes (`data`): the archive may travel by e-mail.
    return {
        "type": row.get_type_display(),
        "created": row.created_at,
        "last_used": row.last_used_at,
    }


DECLARATIONS = (
    PersonalDataKind(
        name="email_addresses",
        label=_("Your e-mail addresses"),
        model="account.EmailAddress",
        person_fields=("user",),
        on_deletion=OnDeletion.DELETE,
        hidden_fields=("user",),
    ),
    PersonalDataKind(
        name="consents",
        label=_("The terms of use and privacy policies you accepted"),
        model="accounts.Consent",
        person_fields=("user",),
        on_deletion=OnDeletion.DELETE,
        hidden_fields=("user",),
    ),
    PersonalDataKind(
        name="two_factor",
        label=_("Your second factors of sign-in (without their secrets)"),
        model="mfa.Authenticator",
        person_fields=("user",),
        on_deletion=OnDeletion.DELETE,
        describe=_authenticator,
    ),
    PersonalDataKind(
        name="invitations",
        label=_("The invitation you accepted"),
        model="accounts.Invitation",
        person_fields=("accepted_by",),
        on_deletion=OnDeletion.DELETE,
        hidden_fields=("token_hash", "accepted_by"),
    ),
)
