"""Reads on accounts: the city's account settings, consents, what a person's data holds."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

# allauth's own TOTP check (its replay protection included); internal module of the pinned
# allauth, no public equivalent.
from allauth.mfa.totp.internal.auth import TOTP

from ratusz.accounts.models import AccountSettings, Consent, PolicyDocument, Role, User

STAFF_ROLES = frozenset({Role.PROJECT_MANAGER, Role.ADMINISTRATOR})
# Who may open the back office: the city's staff, and partner consultants the city let in.
BACKOFFICE_ROLES = STAFF_ROLES | {Role.PARTNER}


def support_email_domain() -> str:
    """Operators' temporary support accounts in a city use this e-mail domain (they signed in
    to the console with two factors already; see ratusz.tenants.support)."""
    from django.conf import settings

    return f"support.{settings.BASE_DOMAIN}"


def is_support_account(user: User) -> bool:
    return user.email.endswith("@" + support_email_domain())


def account_settings() -> AccountSettings:
    """The city's account settings. Every schema has the row (a data migration puts it into
    the template that new cities are copied from); defaults stand in if it is ever missing."""
    return AccountSettings.objects.first() or AccountSettings()


def accepted_versions(user: User) -> dict[str, int]:
    """The highest version of each policy the person accepted (absent: never accepted)."""
    accepted: dict[str, int] = {}
    for document, version in Consent.objects.filter(user=user).values_list("document", "version"):
        accepted[document] = max(version, accepted.get(document, 0))
    return accepted


def pending_policies(user: User, settings: AccountSettings | None = None) -> list[str]:
    """The policies whose current version the person has not accepted yet."""
    settings = settings or account_settings()
    accepted = accepted_versions(user)
    return [
        document
        for document in PolicyDocument.values
        if accepted.get(document, 0) < settings.version_of(document)
    ]


def has_verified_email(user: User) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def two_factor_types(user: User) -> set[str]:
    return set(Authenticator.objects.filter(user=user).values_list("type", flat=True))


def totp_code_is_right(*, user_id: int, code: str) -> bool:
    """Whether `code` is the current code of the account's authenticator app, checked as
    allauth's second-factor step checks it (a code works once). In the account's schema."""
    authenticator = Authenticator.objects.filter(
        user_id=user_id, user__is_active=True, type=Authenticator.Type.TOTP
    ).first()
    return authenticator is not None and TOTP(authenticator).validate_code(code.strip())


def is_last_administrator(user: User) -> bool:
    if user.role != Role.ADMINISTRATOR:
        return False
    return (
        not User.objects.filter(role=Role.ADMINISTRATOR, is_active=True)
        .exclude(pk=user.pk)
        .exists()
    )


def profile_data(user: User) -> dict[str, Any]:
    """The account itself, for the person's data archive (its addresses, consents and second
    factors are kinds of personal data of their own: ratusz.accounts.personal_data)."""
    return {
        "account": {
            "email": user.email,
            "name": user.full_name,
            "role": user.role,
            "language": user.language,
            "joined": user.date_joined,
            "last_login": user.last_login,
            "verified_resident_since": user.verified_at,
        },
    }
