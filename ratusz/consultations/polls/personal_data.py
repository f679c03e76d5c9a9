"""What polls hold about a person: their answers."""

from __future__ import annotations

from ratusz.accounts.personal_data import OnDeletion, PersonalDataKind

DECLARATIONS = (
    PersonalDataKind(
        name="poll_votes",
        model="polls.PollVote",
        person_fields=("user",),
        on_deletion=OnDeletion.DELETE,
        hidden_fields=("user",),
    ),
)
