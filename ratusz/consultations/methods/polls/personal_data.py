"""What polls hold about a person: their answers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ratusz.accounts.personal_data import OnDeletion, PersonalDataKind

DECLARATIONS = (
    PersonalDataKind(
        name="poll_votes",
        label=_("Your answers to polls"),
        model="polls.PollVote",
        person_fields=("user",),
        on_deletion=OnDeletion.DELETE,
        hidden_fields=("user",),
    ),
)
