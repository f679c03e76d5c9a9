"""Support access: an operator enters a city's back office for a reason, for a limited time.

The operator gets a one-time link to the city's host (`grant_support_access`); opening it
signs them in to a temporary administrator account made in the city's schema for that visit
only (`enter_with_grant`). The account is switched off when the grant expires
(`end_expired_support_access`, also run periodically), and the city's administrators see every
visit through `support_visits`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import Role, User
from ratusz.accounts.selectors import support_email_domain, totp_code_is_right
from ratusz.counters import count, peek
from ratusz.errors import Refused
from ratusz.tenants.context import city_context, control_plane
from ratusz.tenants.links import city_url
from ratusz.tenants.models import City, Domain, SupportGrant

DEFAULT_DURATION = timedelta(hours=1)
MAX_DURATION = timedelta(hours=8)
# How long the one-time link may wait before it is opened (the visit itself lasts until
# the grant's end).
SUPPORT_ENTRY_PATH = "/support/enter/{token}/"
# Wrong authenticator codes one link takes before it stops working (from any network; the
# networks' own limit is the token doors' one).
WRONG_CODES_PER_LINK = 5


class SupportAccessRefused(Refused, ValueError):
    """A grant that cannot be given or used; the message says why, for a person."""

    code = "support_access_refused"


class WrongSupportCode(SupportAccessRefused):
    """The link is good but the operator's code was not: the form asks again."""

    code = "wrong_support_code"


@dataclass(frozen=True)
class IssuedGrant:
    grant: SupportGrant
    token: str
    url: str


@dataclass(frozen=True)
class SupportVisit:
    operator_email: str
    reason: str
    granted_at: datetime
    expires_at: datetime
    entered_at: datetime | None
    ended_at: datetime | None

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and self.expires_at > timezone.now()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def support_account_email(grant: SupportGrant) -> str:
    return f"support-{grant.pk}@{support_email_domain()}"


def grant_support_access(
    *,
    city: City,
    operator_id: int,
    operator_email: str,
    reason: str,
    duration: timedelta = DEFAULT_DURATION,
) -> IssuedGrant:
    if not reason.strip():
        raise SupportAccessRefused(_("Say why you need to enter the city's back office."))
    if not timedelta(minutes=5) <= duration <= MAX_DURATION:
        raise SupportAccessRefused(_("Support access lasts from 5 minutes to 8 hours."))
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        grant = SupportGrant.objects.create(
            city=city,
            operator_id=operator_id,
            operator_email=operator_email,
            reason=reason.strip(),
            token_hash=_hash(token),
            expires_at=now + duration,
        )
    host = (
        Domain.objects.filter(tenant=city, is_primary=True).values_list("domain", flat=True).first()
        or f"{city.slug}.{settings.BASE_DOMAIN}"
    )
    return IssuedGrant(
        grant=grant, token=token, url=city_url(host, SUPPORT_ENTRY_PATH.format(token=token))
    )


def _wrong_codes_key(token: str) -> str:
    return "support:wrong-codes:" + _hash(token)


def enter_with_grant(*, city_id: int, token: str, code: str) -> tuple[User, SupportGrant]:
    """Use a one-time link inside the city (a request to the city's host): returns the
    temporary administrator account to sign in and the grant (its end ends the session).

    The link alone is not enough: `code` must be the current code of the authenticator app of
    the operator who asked for it (the console's session cannot vouch for the browser here:
    cookies are host-only), so a leaked link is useless without that operator's phone. Wrong
    codes are limited per link, whatever the network they come from."""
    with transaction.atomic():
        grant = (
            SupportGrant.objects.select_for_update()
            .filter(token_hash=_hash(token), city_id=city_id)
            .first()
        )
        if grant is None:
            raise SupportAccessRefused(_("This support link is not valid for this city."))
        if grant.used_at is not None:
            raise SupportAccessRefused(_("This support link has been used already."))
        if grant.ended_at is not None or grant.expires_at <= timezone.now():
            raise SupportAccessRefused(_("This support link has expired."))
        if peek(_wrong_codes_key(token)) >= WRONG_CODES_PER_LINK:
            raise SupportAccessRefused(
                _("Too many wrong codes were entered for this link. Ask for a new one.")
            )
        # The operators' accounts and authenticators live in the control plane's schema.
        with control_plane():
            right = totp_code_is_right(user_id=grant.operator_id, code=code)
        if not right:
            count(_wrong_codes_key(token), int(MAX_DURATION.total_seconds()))
            raise WrongSupportCode(
                _(
                    "This code is not right. Enter the current code from the authenticator "
                    "app of the operator who asked for this link."
                )
            )
        grant.used_at = timezone.now()
        grant.city_account_email = support_account_email(grant)
        grant.save(update_fields=["used_at", "city_account_email"])
        user = User.objects.create_user(
            grant.city_account_email,
            None,  # no password: the account is only ever entered through this link
            full_name=_("Ratusz support (%(operator)s)") % {"operator": grant.operator_email},
            role=Role.ADMINISTRATOR,
        )
    return user, grant


def end_support_access(*, grant: SupportGrant) -> None:
    """Switch the visit's account off (its sessions stop working) and mark the grant ended."""
    with transaction.atomic():
        if grant.city_account_email:
            with city_context(grant.city):
                User.objects.filter(email=grant.city_account_email).update(is_active=False)
        with control_plane():
            SupportGrant.objects.filter(pk=grant.pk, ended_at__isnull=True).update(
                ended_at=timezone.now()
            )


def end_expired_support_access() -> int:
    expired = list(
        SupportGrant.objects.select_related("city").filter(
            ended_at__isnull=True, expires_at__lte=timezone.now()
        )
    )
    for grant in expired:
        end_support_access(grant=grant)
    return len(expired)


def support_visits(city_id: int) -> list[SupportVisit]:
    """Every support access given for the city, newest first (for its administrators)."""
    with control_plane():
        rows = list(
            SupportGrant.objects.filter(city_id=city_id).values(
                "operator_email", "reason", "created_at", "expires_at", "used_at", "ended_at"
            )
        )
    return [
        SupportVisit(
            operator_email=row["operator_email"],
            reason=row["reason"],
            granted_at=row["created_at"],
            expires_at=row["expires_at"],
            entered_at=row["used_at"],
            ended_at=row["ended_at"],
        )
        for row in rows
    ]
