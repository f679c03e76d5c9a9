"""Ballots (filling, submitting, withdrawing), the ideas on the ballot and paper votes.

Every change to a ballot locks the ballot row first (SELECT ... FOR UPDATE) and checks the
totals while holding it, so concurrent requests of one person queue instead of racing; the
database trigger of migration 0002 re-checks the same limits as the last word.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import can_act
from ratusz.consultations.methods.ideation.models import Idea, Visibility
from ratusz.consultations.methods.voting.models import (
    Ballot,
    BallotItem,
    BallotStatus,
    Candidate,
    Mode,
    PaperVotes,
)
from ratusz.consultations.methods.voting.rules import limits_of, option
from ratusz.consultations.methods.voting.services.refusals import NotAllowed, Refused


def _require_vote(user: User, phase: Phase) -> None:
    decision = can_act(user, phase, Action.VOTE)
    if not decision.allowed:
        raise NotAllowed(decision)


def money(amount: int) -> str:
    """An amount as residents read it: 12 500 zł (thin grouping, no decimals)."""
    return _("%(amount)s zł") % {"amount": f"{amount:,}".replace(",", "\u00a0")}


# --- ballots -------------------------------------------------------------------------------


def _locked_ballot(user: User, phase: Phase) -> Ballot:
    """The person's ballot in this phase, locked for this transaction; made if missing.

    INSERT ... ON CONFLICT DO NOTHING never fails when two requests make the ballot at once
    (the unique constraint decides, the loser waits and inserts nothing); the SELECT that
    follows then sees the committed row and locks it."""
    limits = limits_of(phase)
    Ballot.objects.bulk_create(
        [
            Ballot(
                phase=phase,
                user=user,
                vote_limit=limits.vote_limit,
                idea_limit=limits.idea_limit,
                spend_limit=limits.spend_limit,
            )
        ],
        ignore_conflicts=True,
    )
    return Ballot.objects.select_for_update().get(phase=phase, user=user)


def _totals(ballot: Ballot) -> tuple[int, int]:
    sums = ballot.items.aggregate(votes=Sum("votes"), cost=Sum("cost"))
    return int(sums["votes"] or 0), int(sums["cost"] or 0)


def _refuse_if_submitted(ballot: Ballot) -> None:
    if ballot.status == BallotStatus.SUBMITTED:
        raise Refused(
            _("You have already submitted your vote. Withdraw it first if you want to change it.")
        )


def _candidate_on_ballot(phase: Phase, candidate: Candidate) -> None:
    if candidate.phase_id != phase.pk or not candidate.included:
        raise Refused(_("This idea is not on the ballot of this vote."))


def add_vote(*, user: User, phase: Phase, candidate: Candidate) -> Ballot:
    """Put an idea in the person's basket (or give it one more vote, where several are
    allowed), within the limits of the phase."""
    _require_vote(user, phase)
    _candidate_on_ballot(phase, candidate)
    with transaction.atomic():
        ballot = _locked_ballot(user, phase)
        _refuse_if_submitted(ballot)
        votes, spent = _totals(ballot)
        item = BallotItem.objects.filter(ballot=ballot, candidate=candidate).first()
        if item is not None and item.votes >= ballot.idea_limit:
            if ballot.idea_limit == 1:
                raise Refused(_("You have already chosen this idea."))
            raise Refused(
                _("You can give one idea at most %(count)d votes.") % {"count": ballot.idea_limit}
            )
        if votes + 1 > ballot.vote_limit:
            if ballot.vote_limit == 1:
                raise Refused(
                    _("You can vote for one idea only. Remove your vote first to choose another.")
                )
            raise Refused(
                _("You have used all your %(count)d votes. Remove one first to vote again.")
                % {"count": ballot.vote_limit}
            )
        # The cost as it is now in the database (the caller's object may predate a change;
        # staff cannot change a cost once someone chose the idea, so it holds from here).
        current_cost = Candidate.objects.values_list("cost", flat=True).get(pk=candidate.pk)
        cost = current_cost if ballot.spend_limit is not None else 0
        if ballot.spend_limit is not None and spent + cost > ballot.spend_limit:
            raise Refused(
                _(
                    "This idea costs %(cost)s and %(left)s of the budget is left in your basket. "
                    "Remove another idea first to make room for it."
                )
                % {"cost": money(cost), "left": money(ballot.spend_limit - spent)}
            )
        try:
            with transaction.atomic():
                if item is None:
                    BallotItem.objects.create(ballot=ballot, candidate=candidate, cost=cost)
                else:
                    item.votes += 1
                    item.save(update_fields=["votes"])
        except IntegrityError as exc:  # the trigger's last word (should not happen past the lock)
            raise Refused(_("This vote does not fit within the limits of this ballot.")) from exc
        ballot.save(update_fields=["updated_at"])
    return ballot


def remove_vote(*, user: User, phase: Phase, candidate: Candidate) -> Ballot:
    """Take one vote for an idea back out of a basket that is not submitted yet."""
    _require_vote(user, phase)
    with transaction.atomic():
        ballot = _locked_ballot(user, phase)
        _refuse_if_submitted(ballot)
        item = BallotItem.objects.filter(ballot=ballot, candidate=candidate).first()
        if item is None:
            raise Refused(_("This idea is not in your basket."))
        if item.votes > 1:
            item.votes -= 1
            item.save(update_fields=["votes"])
        else:
            item.delete()
        ballot.save(update_fields=["updated_at"])
    return ballot


def submit_ballot(*, user: User, phase: Phase) -> Ballot:
    """Cast the basket: from now on it counts, and it stays as it is unless withdrawn."""
    _require_vote(user, phase)
    minimum = limits_of(phase).min_spend
    with transaction.atomic():
        ballot = _locked_ballot(user, phase)
        _refuse_if_submitted(ballot)
        votes, spent = _totals(ballot)
        if votes == 0:
            raise Refused(_("Choose at least one idea before you submit your vote."))
        if ballot.spend_limit is not None and spent < minimum:
            raise Refused(
                _(
                    "Your basket costs %(spent)s; in this vote a basket must use at least "
                    "%(minimum)s of the budget. Add more ideas, then submit."
                )
                % {"spent": money(spent), "minimum": money(minimum)}
            )
        ballot.status = BallotStatus.SUBMITTED
        ballot.submitted_at = timezone.now()
        ballot.save(update_fields=["status", "submitted_at", "updated_at"])
    return ballot


def withdraw_ballot(*, user: User, phase: Phase) -> Ballot:
    """Take a submitted vote back while the phase is open; the basket stays to be changed."""
    _require_vote(user, phase)
    with transaction.atomic():
        ballot = _locked_ballot(user, phase)
        if ballot.status != BallotStatus.SUBMITTED:
            raise Refused(_("You have not submitted a vote to withdraw."))
        ballot.status = BallotStatus.DRAFT
        ballot.submitted_at = None
        ballot.save(update_fields=["status", "submitted_at", "updated_at"])
    return ballot


# --- the ideas on the ballot ----------------------------------------------------------------


def import_candidates(*, phase: Phase) -> int:
    """Put on the ballot the ideas of the phase's source phase (with the chosen statuses) that
    are not on it yet; returns how many were added. Ideas staff excluded stay excluded."""
    source = option(phase, "source_phase")
    if not source:
        raise Refused(_("Choose in the phase settings which earlier phase the ideas come from."))
    ideas = Idea.objects.filter(
        project=phase.project, phase_id=int(source), visibility=Visibility.VISIBLE
    )
    statuses = list(option(phase, "source_statuses") or [])
    if statuses:
        ideas = ideas.filter(status__code__in=statuses)
    with transaction.atomic():
        known = set(Candidate.objects.filter(phase=phase).values_list("idea_id", flat=True))
        start = Candidate.objects.filter(phase=phase).count()
        new = [
            Candidate(phase=phase, idea=idea, position=start + number)
            for number, idea in enumerate(ideas.exclude(pk__in=known).order_by("created_at"))
        ]
        Candidate.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def add_candidate(*, phase: Phase, idea: Idea) -> Candidate:
    """Put one idea of the project on the ballot by hand (or back on it)."""
    if idea.project_id != phase.project_id:
        raise Refused(_("Only ideas of this project can be put to its vote."))
    candidate, created = Candidate.objects.get_or_create(
        phase=phase,
        idea=idea,
        defaults={"position": Candidate.objects.filter(phase=phase).count()},
    )
    if not created and not candidate.included:
        candidate.included = True
        candidate.save(update_fields=["included"])
    return candidate


def update_candidate(*, candidate: Candidate, cost: int, included: bool) -> Candidate:
    """Set an idea's cost and whether it is on the ballot. Once residents chose an idea its
    cost and place on the ballot stay, so no basket changes under anyone's feet."""
    if cost < 0:
        raise Refused(_("A cost cannot be negative."))
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        chosen = BallotItem.objects.filter(candidate=locked).exists()
        if chosen and (cost != locked.cost or not included):
            raise Refused(
                _(
                    "Residents have already chosen “%(idea)s”, so its cost and its place on the "
                    "ballot can no longer change."
                )
                % {"idea": locked.idea.title}
            )
        locked.cost = cost
        locked.included = included
        locked.save(update_fields=["cost", "included"])
    return locked


# --- paper and in-person votes -------------------------------------------------------------


def add_paper_votes(*, staff: User, candidate: Candidate, votes: int, note: str = "") -> PaperVotes:
    """Record votes counted on paper or in person for one idea (who entered them and when)."""
    if votes < 1:
        raise Refused(_("Enter a number of votes greater than zero."))
    if not candidate.included:
        raise Refused(_("This idea is not on the ballot of this vote."))
    return PaperVotes.objects.create(
        phase_id=candidate.phase_id,
        candidate=candidate,
        votes=votes,
        note=note.strip()[:200],
        entered_by=staff,
    )


def delete_paper_votes(*, entry: PaperVotes) -> None:
    entry.delete()


def is_budget(phase: Phase) -> bool:
    return limits_of(phase).mode == Mode.BUDGET
