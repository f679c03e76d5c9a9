"""Writes of voting: filling, submitting and withdrawing ballots, paper votes, the ideas on the
ballot, census lists and one-time voting codes.

Every change to a ballot locks the ballot row first (SELECT ... FOR UPDATE) and checks the
totals while holding it, so concurrent requests of one person queue instead of racing; the
database trigger of migration 0002 re-checks the same limits as the last word.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import re
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.ideation.models import Idea, Visibility
from ratusz.consultations.methods import Action
from ratusz.consultations.models import Phase
from ratusz.consultations.rules import Decision, can_act
from ratusz.consultations.voting.models import (
    Ballot,
    BallotItem,
    BallotStatus,
    Candidate,
    CensusEntry,
    CensusUpload,
    CitySecret,
    CodeBatch,
    Mode,
    PaperVotes,
    VotingCode,
)
from ratusz.consultations.voting.rules import limits_of, option


class NotAllowed(PermissionError):
    """The person may not vote now; `decision` says why and what to do."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.message)
        self.decision = decision


class Refused(ValueError):
    """The request cannot be carried out as asked; the message says why."""


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


# --- hashing identifiers and codes ----------------------------------------------------------


def _city_secret() -> str:
    CitySecret.objects.bulk_create([CitySecret(value=secrets.token_hex(32))], ignore_conflicts=True)
    return CitySecret.objects.get().value


def _digest(kind: str, value: str) -> str:
    """HMAC-SHA256 of a normalised value, keyed by the installation's secret key and the
    city's own secret: stored identifiers and codes cannot be read back, nor matched across
    cities."""
    key = f"{settings.SECRET_KEY}:{_city_secret()}".encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


_SEPARATORS = re.compile(r"[\s\-./]+")
_IDENTIFIER = re.compile(r"^[A-Z0-9]{1,40}$")


def normalize_identifier(raw: str) -> str:
    """The same identifier however it is typed: no spaces, dashes or dots; capital letters."""
    return _SEPARATORS.sub("", raw).upper()


def pesel_is_valid(value: str) -> bool:
    if not re.fullmatch(r"\d{11}", value):
        return False
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    check = (10 - sum(int(d) * w for d, w in zip(value, weights, strict=False)) % 10) % 10
    return check == int(value[10])


# Wrong guesses of identifiers or codes one account may make per hour.
ATTEMPTS_PER_HOUR = 10


def _count_attempt(user: User, what: str) -> None:
    key = f"voting:attempts:{what}:{user.pk}"
    cache.add(key, 0, 3600)
    try:
        attempts = cache.incr(key)
    except ValueError:
        attempts = 1
    if attempts > ATTEMPTS_PER_HOUR:
        raise Refused(
            _("Too many attempts. Try again in an hour, or ask the city office for help.")
        )


# --- census lists ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


@dataclass
class CensusReport:
    upload: CensusUpload | None
    added: int = 0
    already_listed: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1250")  # spreadsheets saved by Polish Excel


def upload_census(
    *, staff: User, file_name: str, content: bytes, pesel: bool, has_header: bool
) -> CensusReport:
    """Add a list of residents' identifiers (the first column of a CSV file), hashed. Good rows
    are added; every bad row is reported with its line number and the reason; rows already on
    the list are counted, not added twice."""
    text = _decode(content)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    report = CensusReport(upload=None)
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if has_header and line == 1:
            continue
        if not row or not any(cell.strip() for cell in row):
            continue  # blank lines are not rows
        value = normalize_identifier(row[0])
        if not value:
            report.problems.append(RowProblem(line, _("The first column is empty.")))
        elif not _IDENTIFIER.match(value):
            report.problems.append(
                RowProblem(
                    line,
                    _("The identifier may contain only letters and digits (at most 40)."),
                )
            )
        elif pesel and not pesel_is_valid(value):
            report.problems.append(
                RowProblem(line, _("This is not a valid PESEL number (11 digits, check digit)."))
            )
        else:
            digest = _digest("census", value)
            if digest in seen:
                report.problems.append(
                    RowProblem(
                        line,
                        _("The same identifier is already on line %(line)d of this file.")
                        % {"line": seen[digest]},
                    )
                )
            else:
                seen[digest] = line
    with transaction.atomic():
        existing: set[str] = set()
        digests = list(seen)
        for start in range(0, len(digests), 1000):
            existing.update(
                CensusEntry.objects.filter(digest__in=digests[start : start + 1000]).values_list(
                    "digest", flat=True
                )
            )
        new = [d for d in digests if d not in existing]
        upload = CensusUpload.objects.create(
            uploaded_by=staff,
            file_name=file_name[:200],
            added=len(new),
            rejected=len(report.problems),
        )
        CensusEntry.objects.bulk_create(
            [CensusEntry(upload=upload, digest=d) for d in new],
            ignore_conflicts=True,
            batch_size=1000,
        )
    report.upload = upload
    report.added = len(new)
    report.already_listed = len(existing)
    return report


def census_size() -> int:
    return CensusEntry.objects.count()


def _mark_verified(user: User, now: object) -> None:
    User.objects.filter(pk=user.pk, verified_at__isnull=True).update(verified_at=now)
    user.refresh_from_db(fields=["verified_at"])


def verify_with_census(*, user: User, identifier: str) -> None:
    """Verify a resident whose identifier is on the city's list. Each listed identifier
    verifies one account only."""
    value = normalize_identifier(identifier)
    if not value:
        raise Refused(_("Enter your identifier."))
    _count_attempt(user, "census")
    digest = _digest("census", value)
    with transaction.atomic():
        entry = CensusEntry.objects.select_for_update().filter(digest=digest).first()
        if entry is None:
            raise Refused(
                _(
                    "This identifier is not on the city's list of residents. Check that you "
                    "typed it correctly, or ask the city office."
                )
            )
        if entry.used_at is not None:
            if entry.used_by_id == user.pk:
                return
            raise Refused(
                _(
                    "This identifier has already been used to verify another account. If that "
                    "was not you, contact the city office."
                )
            )
        if CensusEntry.objects.filter(used_by=user).exists():
            raise Refused(_("Your account is already verified with another identifier."))
        now = timezone.now()
        entry.used_by = user
        entry.used_at = now
        try:
            with transaction.atomic():
                entry.save(update_fields=["used_by", "used_at"])
        except IntegrityError as exc:  # the same person, another identifier, at the same moment
            raise Refused(_("Your account is already verified with another identifier.")) from exc
        _mark_verified(user, now)


# --- one-time voting codes ------------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper
CODE_LENGTH = 10
MAX_CODES = 5000


def _format_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def generate_codes(*, staff: User, phase: Phase, count: int) -> list[str]:
    """Make `count` one-time codes for this vote. Only their hashes are kept: the codes
    returned here are shown once, to be printed."""
    if not 1 <= count <= MAX_CODES:
        raise Refused(_("You can make between 1 and %(max)d codes at a time.") % {"max": MAX_CODES})
    codes = {
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(count)
    }
    with transaction.atomic():
        batch = CodeBatch.objects.create(phase=phase, created_by=staff, size=len(codes))
        VotingCode.objects.bulk_create(
            [VotingCode(batch=batch, phase=phase, digest=_digest("code", c)) for c in codes],
            batch_size=1000,
        )
    return sorted(_format_code(c) for c in codes)


def redeem_code(*, user: User, phase: Phase, code: str) -> None:
    """Use a printed code: the account becomes a verified resident. A code works once."""
    value = normalize_identifier(code)
    if not value:
        raise Refused(_("Enter the code printed on your voting card."))
    _count_attempt(user, "code")
    digest = _digest("code", value)
    with transaction.atomic():
        row = VotingCode.objects.select_for_update().filter(digest=digest, phase=phase).first()
        if row is None:
            raise Refused(
                _(
                    "This code is not valid for this vote. Check the letters and digits on your "
                    "card."
                )
            )
        if row.used_at is not None:
            if row.used_by_id == user.pk:
                raise Refused(_("You have already used this code."))
            raise Refused(
                _(
                    "This code has already been used. Each code works only once; if you did not "
                    "use it, contact the city office."
                )
            )
        if VotingCode.objects.filter(phase=phase, used_by=user).exists():
            raise Refused(_("You have already used a code in this vote."))
        now = timezone.now()
        row.used_by = user
        row.used_at = now
        try:
            with transaction.atomic():
                row.save(update_fields=["used_by", "used_at"])
        except IntegrityError as exc:  # two codes of one person at the same moment
            raise Refused(_("You have already used a code in this vote.")) from exc
        _mark_verified(user, now)


def is_budget(phase: Phase) -> bool:
    return limits_of(phase).mode == Mode.BUDGET
