"""Every view through which a person can become signed in: the declared list.

tests/security/test_doors.py walks the URL configuration of both planes, finds every view that
can sign a person in (it calls Django's or allauth's login, or our `sign_in`, directly or
through the functions it calls) and fails on one that is not declared here. Each declared door
is then tried with an account that has, or must have, a second factor (it must not end up
signed in without it) and with wrong attempts (it must refuse even a right one after too
many). A new door therefore needs an entry here and a way in for those tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    # A password form: allauth's login form, with allauth's limits on failed attempts.
    PASSWORD = "password"  # noqa: S105  # a kind of door, not a password
    # A one-time secret in the address: `sign_in`, with its limit on failed attempts.
    TOKEN = "token"  # noqa: S105  # a kind of door, not a token
    # The second-factor step of allauth's login flow itself.
    SECOND_FACTOR = "second-factor"
    # Could sign in only if a setting were changed (allauth's sign-in after a password reset,
    # by e-mailed code): off here, and through allauth's flow if on.
    OFF = "off"


@dataclass(frozen=True)
class Door:
    key: str
    # Dotted path of the view function or class, as the URL configuration resolves it.
    view: str
    kind: Kind
    # What allauth's record of this session's authentication says about it.
    method: str = "link"
    # True only for a door that checks a second factor itself, bound to the person its secret
    # was made for (the operators' support entry: the grant is made by a console session that
    # used its code, and the link opens only with that operator's current code).
    vouches_second_factor: bool = False
    # A sign-in after the city published new terms goes through the consent page first; not
    # for accounts the city (or an operator's support visit) has just made and handed over.
    asks_consent: bool = True
    # For Kind.OFF: the allauth setting (allauth.account.app_settings) that would open it.
    off_unless: str = ""


DOORS: tuple[Door, ...] = (
    # A city's sign-in, the console's (/accounts/login/ on the control plane) and the partners'.
    Door("login", "allauth.account.views.LoginView", Kind.PASSWORD, method="password"),
    Door(
        "partner-sign-in",
        "ratusz.onboarding.views.partners.PartnerSignInView",
        Kind.PASSWORD,
        method="password",
    ),
    Door("mfa-authenticate", "allauth.mfa.base.views.AuthenticateView", Kind.SECOND_FACTOR),
    # Sign-up goes through allauth's login flow but stops at "check your e-mail" (the same page
    # for a taken address): the new account signs in by its confirmation link, below.
    Door("signup", "allauth.account.views.SignupView", Kind.PASSWORD, method="password"),
    Door(
        "password-reset",
        "allauth.account.views.PasswordResetFromKeyView",
        Kind.OFF,
        method="password_reset",
        off_unless="LOGIN_ON_PASSWORD_RESET",
    ),
    # Asking for a reset: it signs in only with reset by e-mailed code.
    Door(
        "password-reset-request",
        "allauth.account.views.PasswordResetView",
        Kind.OFF,
        off_unless="PASSWORD_RESET_BY_CODE_ENABLED",
    ),
    # The confirmation link of a new city account's first address signs it in, once.
    Door("confirm-email", "ratusz.accounts.views.ConfirmEmailView", Kind.TOKEN),
    Door(
        "login-by-code",
        "allauth.account.views.ConfirmLoginCodeView",
        Kind.OFF,
        off_unless="LOGIN_BY_CODE_ENABLED",
    ),
    # One-time links: the wizard's and the partners' hand-off into a city, invitations.
    Door(
        "sign-in-link", "ratusz.onboarding.views.city.sign_in_link", Kind.TOKEN, asks_consent=False
    ),
    Door(
        "invitation",
        "ratusz.accounts.views.accept_invitation_view",
        Kind.TOKEN,
        asks_consent=False,
    ),
    Door("partner-invitation", "ratusz.onboarding.views.partners.partner_invitation", Kind.TOKEN),
    Door(
        "support-entry",
        "ratusz.platform.views_city.enter_view",
        Kind.TOKEN,
        method="support",
        vouches_second_factor=True,
        asks_consent=False,
    ),
)

BY_KEY = {door.key: door for door in DOORS}
