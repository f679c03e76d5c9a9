"""One-time voting codes: printed for residents, redeemed once to verify an account."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.core.models import Phase
from ratusz.consultations.methods.voting.models import CodeBatch, VotingCode
from ratusz.consultations.methods.voting.services.refusals import Refused
from ratusz.consultations.methods.voting.services.verification import (
    _count_attempt,
    _digest,
    _digest_key,
    _give_back_attempt,
    _mark_verified,
    normalize_identifier,
)

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
