"""Writes of voting: filling, submitting and withdrawing ballots, paper votes, the ideas on the
ballot, census lists and one-time voting codes.

Every change to a ballot locks the ballot row first (SELECT ... FOR UPDATE) and checks the
totals while holding it, so concurrent requests of one person queue instead of racing; the
database trigger of migration 0002 re-checks the same limits as the last word.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import hmac
import io
import re
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ratusz import errors
from ratusz.accounts.models import User
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import Decision, can_act, email_is_confirmed
from ratusz.consultations.methods.ideation.models import Idea, Visibility
from ratusz.consultations.methods.voting.models import (
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
from ratusz.consultations.methods.voting.rules import limits_of, option


class NotAllowed(PermissionError):
    """The person may not vote now; `decision` says why and what to do."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.message)
        self.decision = decision


class Refused(errors.Refused, ValueError):
    """The request cannot be carried out as asked; the message says why."""

    code = "voting_refused"


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


def _digest_key() -> bytes:
    """The HMAC key of this city: the installation's secret key and the city's own secret.
    Fetch it once per request or upload (it costs two queries), not once per identifier."""
    return f"{settings.SECRET_KEY}:{_city_secret()}".encode()


def _digest(kind: str, value: str, *, key: bytes | None = None) -> str:
    """HMAC-SHA256 of a normalised value, keyed by the installation's secret key and the
    city's own secret: stored identifiers and codes cannot be read back, nor matched across
    cities."""
    key = _digest_key() if key is None else key
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


# Guesses of identifiers or codes allowed per hour: per account, per address (a person with
# many fresh accounts) and for the whole city (many addresses). Each limit alone stops one way
# of walking the list; together they make guessing a PESEL (a birth date, a sex and a few
# thousand numbers) take years instead of minutes. Successful checks give back their IP and
# city guesses, so a busy first day of a vote does not lock the city's residents out.
ATTEMPTS_PER_HOUR = 10
ATTEMPTS_PER_IP_PER_HOUR = 20
ATTEMPTS_PER_CITY_PER_HOUR = 300


def _attempt_keys(what: str, *, user: User, ip: str) -> list[tuple[str, int]]:
    # The cache's key function prefixes every key with the city's schema, so these are per city.
    return [
        (f"voting:attempts:{what}:user:{user.pk}", ATTEMPTS_PER_HOUR),
        (f"voting:attempts:{what}:ip:{ip or 'unknown'}", ATTEMPTS_PER_IP_PER_HOUR),
        (f"voting:attempts:{what}:city", ATTEMPTS_PER_CITY_PER_HOUR),
    ]


def _count_attempt(user: User, what: str, *, ip: str) -> None:
    """Count one guess against every limit (atomically: cache.incr), refusing past any."""
    over = False
    for key, limit in _attempt_keys(what, user=user, ip=ip):
        cache.add(key, 0, 3600)
        try:
            attempts = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, 3600)
            attempts = 1
        over = over or attempts > limit
    if over:
        raise Refused(
            _("Too many attempts. Try again in an hour, or ask the city office for help.")
        )


def _give_back_attempt(user: User, what: str, *, ip: str) -> None:
    """A successful check was no guess: it does not count against the address or the city
    (it still counts for the account, which can succeed only once anyway)."""
    for key, _limit in _attempt_keys(what, user=user, ip=ip)[1:]:
        with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
            cache.decr(key)


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


def _unreadable() -> Refused:
    return Refused(
        _(
            "This file cannot be read as a list: it is not text in a known encoding. In your "
            "spreadsheet, save it as “CSV UTF-8” (or plain CSV) and upload it again."
        )
    )


# Control characters other than tab and line ends never occur in a CSV typed by a person; they
# mean a binary file (a spreadsheet's own format renamed .csv) or a wrong guess of the encoding.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decode(content: bytes) -> str:
    """The text of an uploaded list. UTF-8 (with or without a byte order mark) and UTF-16 with
    one (what spreadsheets write as "Unicode text") are told by their bytes; anything else that
    is not UTF-8 is read as Windows-1250, what Polish Excel writes for plain CSV. A file that
    none of these read cleanly is refused with a message, never guessed into garbage."""
    try:
        if content.startswith(codecs.BOM_UTF8):
            text = content[len(codecs.BOM_UTF8) :].decode("utf-8")
        elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = content.decode("utf-16")  # the byte order mark says which end comes first
        else:
            try:
                text = content.decode("utf-8")
            except UnicodeDecodeError:
                text = content.decode("cp1250")  # strict: cp1250 leaves five bytes undefined
    except UnicodeDecodeError as exc:
        raise _unreadable() from exc
    if _CONTROL.search(text):
        raise _unreadable()
    return text


# Rows of one file: about ten seconds of work (20,000 rows take 0.8 s), within a request.
MAX_CENSUS_ROWS = 250_000
MAX_CENSUS_FILE_MB = 10  # 250,000 PESEL numbers with a name column fit


def upload_census(
    *, staff: User, file_name: str, content: bytes, pesel: bool, has_header: bool
) -> CensusReport:
    """Add a list of residents' identifiers (the first column of a CSV file), hashed. Good rows
    are added; every bad row is reported with its line number and the reason; rows already on
    the list are counted, not added twice. A file that is not readable text is refused whole.

    The work per row is in memory (one HMAC); the database sees one statement per 5,000 rows."""
    text = _decode(content)
    key = _digest_key()  # once: hashing is per row, fetching the secret is not
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
        if line > MAX_CENSUS_ROWS + int(has_header):
            raise Refused(
                _(
                    "The file has more than %(max)s rows. Split the list into files of at most "
                    "%(max)s rows and upload them one after another: rows already on the list "
                    "are never added twice."
                )
                % {"max": formats.number_format(MAX_CENSUS_ROWS, force_grouping=True)}
            )
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
            digest = _digest("census", value, key=key)
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
        upload = CensusUpload.objects.create(
            uploaded_by=staff, file_name=file_name[:200], rejected=len(report.problems)
        )
        added = _insert_census_digests(upload, list(seen))
        upload.added = added
        upload.save(update_fields=["added"])
    report.upload = upload
    report.added = added
    report.already_listed = len(seen) - added
    return report


_CENSUS_CHUNK = 5000


def _insert_census_digests(upload: CensusUpload, digests: list[str]) -> int:
    """Insert the digests not on the list yet, a chunk per statement; how many were new.

    One INSERT ... SELECT FROM unnest(array) ... ON CONFLICT DO NOTHING per chunk: PostgreSQL
    skips the listed ones itself (also those another upload adds at the same moment), and no
    model instance is built per row (bulk_create spent most of an upload's time on those)."""
    table = connection.ops.quote_name(CensusEntry._meta.db_table)
    added = 0
    with connection.cursor() as cursor:
        for start in range(0, len(digests), _CENSUS_CHUNK):
            cursor.execute(
                f"INSERT INTO {table} (upload_id, digest) "  # noqa: S608  # the table's own name
                "SELECT %s, digest FROM unnest(%s::varchar[]) AS digest "
                "ON CONFLICT (digest) DO NOTHING",
                [upload.pk, digests[start : start + _CENSUS_CHUNK]],
            )
            added += cursor.rowcount
    return added


def census_size() -> int:
    return CensusEntry.objects.count()


def _mark_verified(user: User, now: object) -> None:
    User.objects.filter(pk=user.pk, verified_at__isnull=True).update(verified_at=now)
    user.refresh_from_db(fields=["verified_at"])


# One answer for "not on the list" and "already used by someone else": telling them apart would
# let a guesser learn which identifiers exist (and that their owner has an account).
def _census_refusal() -> Refused:
    return Refused(
        _(
            "We could not verify you with this identifier. Check that you typed it correctly; "
            "if you did, ask the city office for help."
        )
    )


def verify_with_census(*, user: User, identifier: str, ip: str) -> None:
    """Verify a resident whose identifier is on the city's list. Each listed identifier
    verifies one account only. Only accounts with a confirmed e-mail address may check (so
    guessing needs a mailbox per account), and guesses are limited per account, per address
    (`ip`) and per city."""
    value = normalize_identifier(identifier)
    if not value:
        raise Refused(_("Enter your identifier."))
    if not email_is_confirmed(user):
        raise Refused(
            _(
                "Confirm your e-mail address before you check your identifier: open the link "
                "we sent you, or ask for a new one."
            )
        )
    _count_attempt(user, "census", ip=ip)
    digest = _digest("census", value)
    with transaction.atomic():
        entry = CensusEntry.objects.select_for_update().filter(digest=digest).first()
        if entry is not None and entry.used_by_id == user.pk:
            _give_back_attempt(user, "census", ip=ip)
            return
        # Before looking at the list: an account verified already hears the same, whether the
        # other identifier is on the list or not (else it could test identifiers one by one).
        if CensusEntry.objects.filter(used_by=user).exists():
            raise Refused(_("Your account is already verified with another identifier."))
        if entry is None or entry.used_at is not None:
            raise _census_refusal()
        now = timezone.now()
        entry.used_by = user
        entry.used_at = now
        try:
            with transaction.atomic():
                entry.save(update_fields=["used_by", "used_at"])
        except IntegrityError as exc:  # the same person, another identifier, at the same moment
            raise Refused(_("Your account is already verified with another identifier.")) from exc
        _mark_verified(user, now)
    _give_back_attempt(user, "census", ip=ip)


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
    key = _digest_key()
    with transaction.atomic():
        batch = CodeBatch.objects.create(phase=phase, created_by=staff, size=len(codes))
        VotingCode.objects.bulk_create(
            [
                VotingCode(batch=batch, phase=phase, digest=_digest("code", c, key=key))
                for c in codes
            ],
            batch_size=1000,
        )
    return sorted(_format_code(c) for c in codes)


def redeem_code(*, user: User, phase: Phase, code: str, ip: str) -> None:
    """Use a printed code: the account becomes a verified resident. A code works once. Guesses
    are limited like census checks (per account, address and city)."""
    value = normalize_identifier(code)
    if not value:
        raise Refused(_("Enter the code printed on your voting card."))
    _count_attempt(user, "code", ip=ip)
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
    _give_back_attempt(user, "code", ip=ip)


def is_budget(phase: Phase) -> bool:
    return limits_of(phase).mode == Mode.BUDGET
