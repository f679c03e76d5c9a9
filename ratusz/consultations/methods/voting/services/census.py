"""Census lists: uploading the city's list of identifiers, and residents verifying with it."""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.core.rules import email_is_confirmed
from ratusz.consultations.methods.voting.models import CensusEntry, CensusUpload
from ratusz.consultations.methods.voting.services.refusals import Refused
from ratusz.consultations.methods.voting.services.verification import (
    _IDENTIFIER,
    _count_attempt,
    _digest,
    _digest_key,
    _give_back_attempt,
    _mark_verified,
    normalize_identifier,
    pesel_is_valid,
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
