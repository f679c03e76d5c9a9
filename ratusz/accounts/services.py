"""Writes on accounts: invitations, sign-up, consents, the city's account settings, profile
changes and account deletion."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from ratusz.accounts.extensions import invitation_accepted_hooks, signup_extensions
from ratusz.accounts.models import (
    AccountSettings,
    Consent,
    Invitation,
    PolicyDocument,
    Role,
    User,
)
from ratusz.accounts.personal_data import erase_personal_data


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # shown once (in the e-mail or the command's output), never stored


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(
    *, email: str, role: str, full_name: str = "", valid_days: int = 14
) -> IssuedInvitation:
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email.strip().lower(),
        full_name=full_name.strip(),
        role=role,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=valid_days),
    )
    return IssuedInvitation(invitation=invitation, token=token)


class InvitationInvalid(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "unknown" | "expired" | "used"


def find_open_invitation(token: str, *, lock: bool = False) -> Invitation:
    invitations = Invitation.objects.select_for_update() if lock else Invitation.objects.all()
    invitation = invitations.filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise InvitationInvalid("unknown")
    if invitation.accepted_at is not None:
        raise InvitationInvalid("used")
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid("expired")
    return invitation


def accept_invitation(*, token: str, full_name: str, password: str) -> User:
    """Create (or update) the invited account. A hook may refuse the acceptance (it raises
    extensions' InvitationRefused): everything rolls back and the invitation stays open."""
    with transaction.atomic():
        invitation = find_open_invitation(token, lock=True)
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = User.objects.create_user(
                invitation.email,
                password,
                full_name=full_name.strip() or invitation.full_name,
                role=invitation.role,
                is_staff=invitation.role in {Role.ADMINISTRATOR, Role.PROJECT_MANAGER},
            )
        else:
            user.role = invitation.role
            user.full_name = full_name.strip() or user.full_name
            user.set_password(password)
            user.save(update_fields=["role", "full_name", "password"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        # The invitation reached this address, so the address is confirmed.
        _set_verified_primary_email(user)
        # Other apps finish the job (projects to manage, groups by role) in this transaction,
        # and may refuse it (InvitationRefused), which undoes everything above.
        for hook in invitation_accepted_hooks():
            hook(invitation, user)
    return user


def _set_verified_primary_email(user: User) -> None:
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(primary=False)
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    elif not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])


# --- sign-up and consent ----------------------------------------------------------------------


def record_consent(*, user: User, terms_version: int, privacy_version: int) -> None:
    """Record that `user` accepted these versions of the terms and of the privacy policy."""
    now = timezone.now()
    with transaction.atomic():
        for document, version in (
            (PolicyDocument.TERMS, terms_version),
            (PolicyDocument.PRIVACY, privacy_version),
        ):
            Consent.objects.get_or_create(
                user=user, document=document, version=version, defaults={"accepted_at": now}
            )


def complete_signup(
    *,
    user: User,
    full_name: str,
    language: str,
    terms_version: int,
    privacy_version: int,
    extra: Mapping[str, Any] | None = None,
) -> User:
    """Save a new resident's account (built by the sign-up form) with the consent they gave.

    `extra` is the sign-up form's cleaned data: the sign-up extensions (registration fields)
    save their part of it in the same transaction."""
    with transaction.atomic():
        user.email = user.email.strip().lower()
        user.full_name = full_name.strip()
        user.language = language
        user.role = Role.RESIDENT
        user.save()
        record_consent(user=user, terms_version=terms_version, privacy_version=privacy_version)
        if extra is not None:
            for extension in signup_extensions():
                extension.save(user, extra)
    return user


def initialize_account_settings(new_city: object = None) -> AccountSettings:
    """The city's account settings row, made if missing. Usable as a city initializer (it takes
    and ignores the NewCity); new cities already get the row from the template schema, which a
    data migration seeded (accounts may not import ratusz.tenants to register it itself)."""
    settings, _created = AccountSettings.objects.get_or_create(singleton=True)
    return settings


def _locked_account_settings() -> AccountSettings:
    AccountSettings.objects.get_or_create(singleton=True)
    return AccountSettings.objects.select_for_update().get(singleton=True)


def publish_policy_version(*, document: str, url: str | None = None) -> AccountSettings:
    """A new version of the terms (or of the privacy policy): everyone accepts it again at their
    next sign-in. `url` (when given) is where the new text is published."""
    if document not in PolicyDocument.values:
        raise ValueError(f"unknown policy document {document!r}")
    with transaction.atomic():
        settings = _locked_account_settings()
        now = timezone.now()
        if document == PolicyDocument.TERMS:
            settings.terms_version += 1
            settings.terms_published_at = now
            settings.terms_url = settings.terms_url if url is None else url
        else:
            settings.privacy_version += 1
            settings.privacy_published_at = now
            settings.privacy_url = settings.privacy_url if url is None else url
        settings.save()
    return settings


def set_policy_urls(*, terms_url: str, privacy_url: str) -> AccountSettings:
    """Where the city publishes its texts, without asking anyone to accept them again."""
    with transaction.atomic():
        settings = _locked_account_settings()
        settings.terms_url = terms_url.strip()
        settings.privacy_url = privacy_url.strip()
        settings.save(update_fields=["terms_url", "privacy_url", "updated_at"])
    return settings


def set_staff_two_factor_required(*, required: bool) -> AccountSettings:
    with transaction.atomic():
        settings = _locked_account_settings()
        settings.staff_two_factor_required = required
        settings.save(update_fields=["staff_two_factor_required", "updated_at"])
    return settings


# --- the person's own account -----------------------------------------------------------------


def update_profile(*, user: User, full_name: str) -> User:
    user.full_name = full_name.strip()
    user.save(update_fields=["full_name"])
    return user


def delete_account(*, user: User) -> None:
    """Delete the account and the person's data, as each app declared it
    (ratusz.accounts.personal_data): rows that are only the person's go, rows others still need
    (an idea others commented on, a counted vote) stay with every field naming the person
    emptied. One transaction: if any step fails, nothing is deleted."""
    with transaction.atomic():
        erase_personal_data(user)
        # Invitations sent to the address name the person too (by e-mail, not by account).
        Invitation.objects.filter(email__iexact=user.email).delete()
        user.delete()
