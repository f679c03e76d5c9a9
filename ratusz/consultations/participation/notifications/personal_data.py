"""What notifications hold about a person: the notifications they received and how often they
want e-mail."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ratusz.accounts.personal_data import NotPersonalData, OnDeletion, PersonalDataKind

DECLARATIONS = (
    PersonalDataKind(
        name="notifications",
        label=_("Your notifications"),
        model="notifications.Notification",
        person_fields=("recipient",),
        on_deletion=OnDeletion.DELETE,
        hidden_fields=("recipient", "actor"),
    ),
    PersonalDataKind(
        name="notification_settings",
        label=_("How often you get notifications by e-mail"),
        model="notifications.NotificationPreference",
        person_fields=("user",),
        on_deletion=OnDeletion.DELETE,
        hidden_fields=("user",),
    ),
    NotPersonalData(
        model="notifications.Notification",
        fields=("actor",),
        reason=(
            "Who caused another person's notification (commented on their idea): part of the "
            "recipient's data; the reference is emptied when the actor's account goes, and the "
            "notification names nobody then."
        ),
    ),
)
