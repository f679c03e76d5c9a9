"""Writes on accounts: invitations and their acceptance."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ratusz.accounts.models import Invitation, Role, User


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
    return user
