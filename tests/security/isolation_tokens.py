"""The secrets a city hands out in links, one maker per URL that takes one.

Each maker issues a working secret of city A for its URL, the way production issues it, for an
account of A that has a twin in city B (another account with the same id), so a secret that
named only an id would open the twin's account. The token checks find these URLs by walking
the city's URLs (every parameter that is a secret, not an object); a new one without a maker
fails until it gets one here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.account.utils import user_pk_to_url_str
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.accounts.services import create_invitation
from ratusz.consultations.campaigns import unsubscribe as campaign_links
from ratusz.consultations.participation.notifications import unsubscribe as notification_links
from ratusz.onboarding.models import LinkPurpose
from ratusz.onboarding.services import issue_sign_in_link
from ratusz.tenants.support import grant_support_access
from tests.security.isolation_params import Route, shared_fillings

# Parameters that carry a secret of the city (never an object's id or a shared key).
SECRET_PARAMS = frozenset({"token", "key", "uidb36"})

# (city, account) -> the URL's parameters, holding a working secret for the account;
# run in the city's context.
Maker = Callable[[Any, User], dict[str, str]]


def _invitation(city: Any, user: User) -> dict[str, str]:
    issued = create_invitation(email=f"invited-{user.pk}@example.com", role=Role.PROJECT_MANAGER)
    return {"token": issued.token}


def _confirmation(city: Any, user: User) -> dict[str, str]:
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": False}
    )
    EmailAddress.objects.filter(pk=address.pk).update(verified=False)
    confirmation = EmailConfirmation.create(address)
    confirmation.sent = timezone.now()
    confirmation.save()
    return {"key": confirmation.key}


def _password_reset(city: Any, user: User) -> dict[str, str]:
    return {"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}


def _support_entry(city: Any, user: User) -> dict[str, str]:
    issued = grant_support_access(
        city=city.model, operator_id=1, operator_email="op@ratusz.example", reason="isolation"
    )
    return {"token": issued.token}


def _sign_in_link(city: Any, user: User) -> dict[str, str]:
    token = issue_sign_in_link(
        city_id=city.model.pk, user_id=user.pk, purpose=LinkPurpose.HANDOFF, next_path="/"
    )
    return {"token": token}


MAKERS: dict[str, Maker] = {
    "accept-invitation": _invitation,
    "account_confirm_email": _confirmation,
    "account_reset_password_from_key": _password_reset,
    "notifications:unsubscribe": lambda city, user: {
        "token": notification_links.make_token(user.pk)
    },
    "campaigns:unsubscribe": lambda city, user: {"token": campaign_links.make_token(user.pk)},
    "support:enter": _support_entry,
    "onboarding_city:sign-in": _sign_in_link,
}


def takes_secret(route: Route) -> bool:
    return bool(SECRET_PARAMS & set(route.params)) and not shared_fillings(route)


def made_up(kwargs: dict[str, str]) -> dict[str, str]:
    """The same parameters with every secret replaced by one of the same shape that was never
    issued (a password-reset link keeps its account part)."""
    fake = {}
    for name, value in kwargs.items():
        if name == "uidb36":
            fake[name] = value
            continue
        swapped = "".join(
            ("b" if c == "a" else "a")
            if c.isalpha()
            else ("1" if c == "0" else "0")
            if c.isdigit()
            else c
            for c in value[:-6]
        )
        fake[name] = swapped + value[-6:]
    return fake
