"""What proposals hold about a person: the proposals they wrote (which stay, anonymised: others
supported them) and their support (which goes, and no longer counts)."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from ratusz.accounts.models import User
from ratusz.accounts.personal_data import NotPersonalData, OnDeletion, PersonalDataKind
from ratusz.consultations.methods.proposals.models import Proposal, ProposalStatus, Support


def withdraw_all_support(user: User) -> None:
    """Account deletion: the person's support of proposals still collecting stops counting, as
    if they withdrew it; a closed proposal keeps the count it closed with."""
    supported = Support.objects.filter(user=user).values("proposal_id")
    Proposal.objects.filter(
        pk__in=supported, status=ProposalStatus.COLLECTING, supporter_count__gt=0
    ).update(supporter_count=F("supporter_count") - 1)


DECLARATIONS = (
    PersonalDataKind(
        name="proposals",
        label=_("Your proposals"),
        model="proposals.Proposal",
        person_fields=("author",),
        on_deletion=OnDeletion.ANONYMISE,
        hidden_fields=("author",),
    ),
    PersonalDataKind(
        name="proposal_supports",
        label=_("Proposals you support"),
        model="proposals.Support",
        person_fields=("user",),
        on_deletion=OnDeletion.DELETE,
        hidden_fields=("user",),
        before_deletion=withdraw_all_support,
    ),
    NotPersonalData(
        model="proposals.ProposalStatusChange",
        fields=("answered_by",),
        reason=(
            "The city's official answer to a proposal, with the staff member who gave it: the "
            "city's record, not the person's participation; emptied when the account goes."
        ),
    ),
)
