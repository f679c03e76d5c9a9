"""One-time sign-in links: the wizard's (a new city's administrator signs in) and hand-overs'."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ratusz.onboarding.models import (
    LinkPurpose,
    SignInLink,
    Signup,
)
from ratusz.tenants.context import CityRef, control_plane
from ratusz.tenants.models import City, Domain
from ratusz.tenants.services import open_city

# The e-mailed link: long enough to reach an inbox and be opened the same day.
EMAIL_LINK_VALID = timedelta(hours=24)


# The hand-off from the browser that asked for it to the city's host: a redirect, so seconds.
HANDOFF_LINK_VALID = timedelta(minutes=5)


class LinkInvalid(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "unknown" | "expired" | "used" | "account"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _ref(city: City) -> CityRef:
    domain = Domain.objects.filter(tenant=city, is_primary=True).values_list("domain", flat=True)
    return CityRef.from_city(city, domain.first() or f"{city.slug}.{settings.BASE_DOMAIN}")


def issue_sign_in_link(
    *, city_id: int, user_id: int, purpose: str, next_path: str = "/admin/"
) -> str:
    """A one-time link into the account `user_id` of city `city_id`; returns the token, which is
    shown once (in the e-mail or the redirect) and never stored."""
    valid = EMAIL_LINK_VALID if purpose == LinkPurpose.EMAIL else HANDOFF_LINK_VALID
    token = secrets.token_urlsafe(32)
    with control_plane():
        SignInLink.objects.create(
            city_id=city_id,
            user_id=user_id,
            purpose=purpose,
            token_hash=hash_token(token),
            next_path=next_path,
            expires_at=timezone.now() + valid,
        )
    return token


def find_sign_in_link(*, token: str, city_id: int) -> SignInLink:
    """The open link with this token for this city (a link of another city is unknown here)."""
    with control_plane():
        link = SignInLink.objects.filter(token_hash=hash_token(token), city_id=city_id).first()
    if link is None:
        raise LinkInvalid("unknown")
    if link.used_at is not None:
        raise LinkInvalid("used")
    if link.expires_at <= timezone.now():
        raise LinkInvalid("expired")
    return link


def redeem_sign_in_link(*, token: str, city_id: int) -> SignInLink:
    """Use the link once. An e-mailed link also confirms the administrator's address, which
    makes the portal public."""
    with control_plane(), transaction.atomic():
        link = (
            SignInLink.objects.select_for_update()
            .filter(token_hash=hash_token(token), city_id=city_id)
            .first()
        )
        if link is None:
            raise LinkInvalid("unknown")
        if link.used_at is not None:
            raise LinkInvalid("used")
        now = timezone.now()
        if link.expires_at <= now:
            raise LinkInvalid("expired")
        link.used_at = now
        link.save(update_fields=["used_at"])
        if link.purpose == LinkPurpose.EMAIL:
            Signup.objects.filter(city_id=city_id, confirmed_at__isnull=True).update(
                confirmed_at=now
            )
            city = City.objects.filter(pk=city_id).first()
            if city is not None:
                open_city(city=city)
    return link
