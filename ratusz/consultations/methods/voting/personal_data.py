"""What voting holds about a person: ballots, and how the account was verified (a census
entry, a voting code). Staff's own rows (paper votes entered, lists uploaded, codes printed)
are records of staff work."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ratusz.accounts.personal_data import NotPersonalData, OnDeletion, PersonalDataKind
from ratusz.consultations.methods.voting.models import Ballot

_STAFF_WORK = (
    "Which staff member did this piece of the city's work (entered paper votes, uploaded the "
    "census list, printed voting codes): a record of staff work, not of the person's "
    "participation; the reference is emptied when the account goes."
)


def _ballot(ballot: Ballot) -> dict[str, Any]:
    return {
        "phase": str(ballot.phase),
        "status": ballot.get_status_display(),
        "submitted": ballot.submitted_at,
        "ideas": [
            {"idea": item.candidate.idea.title, "votes": item.votes, "cost": item.cost}
            for item in ballot.items.select_related("candidate__idea").order_by("pk")
        ],
    }


DECLARATIONS = (
    # A submitted vote keeps counting after the voter leaves (results must not change), with
    # nobody's name on it.
    PersonalDataKind(
        name="votes",
        label=_("Your votes"),
        model="voting.Ballot",
        person_fields=("user",),
        on_deletion=OnDeletion.ANONYMISE,
        describe=_ballot,
    ),
    # The identifier stays used (a new account cannot verify with it again and vote twice); it
    # no longer says by whom.
    PersonalDataKind(
        name="census_verification",
        label=_("When you verified yourself with the census list"),
        model="voting.CensusEntry",
        person_fields=("used_by",),
        on_deletion=OnDeletion.ANONYMISE,
        hidden_fields=("digest", "upload", "used_by"),
    ),
    PersonalDataKind(
        name="voting_codes",
        label=_("When you used a voting code"),
        model="voting.VotingCode",
        person_fields=("used_by",),
        on_deletion=OnDeletion.ANONYMISE,
        hidden_fields=("digest", "batch", "used_by"),
    ),
    NotPersonalData(model="voting.PaperVotes", fields=("entered_by",), reason=_STAFF_WORK),
    NotPersonalData(model="voting.CensusUpload", fields=("uploaded_by",), reason=_STAFF_WORK),
    NotPersonalData(model="voting.CodeBatch", fields=("created_by",), reason=_STAFF_WORK),
)
