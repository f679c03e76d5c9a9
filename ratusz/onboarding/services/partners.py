"""Partner organisations: their consultants (invited, accepted), the cities they set up,
opened and handed over."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.emails import queue_email
from ratusz.accounts.models import Role, User
from ratusz.errors import Refused
from ratusz.onboarding.models import (
    LinkPurpose,
    PartnerAccess,
    PartnerCity,
    PartnerInvitation,
    PartnerMembership,
    PartnerOrganisation,
)
from ratusz.onboarding.services.links import LinkInvalid, _ref, hash_token, issue_sign_in_link
from ratusz.tenants.context import CityRef, city_context, control_plane
from ratusz.tenants.links import city_url, control_url
from ratusz.tenants.models import City

PARTNER_INVITATION_VALID = timedelta(days=14)


class PartnerRefused(Refused, PermissionError):
    code = "partner_refused"


def create_partner_organisation(*, name: str) -> PartnerOrganisation:
    return PartnerOrganisation.objects.create(name=name.strip())


@dataclass(frozen=True)
class IssuedPartnerInvitation:
    invitation: PartnerInvitation
    token: str


def invite_partner(
    *, organisation: PartnerOrganisation, email: str, full_name: str = "", invited_by: User | None
) -> IssuedPartnerInvitation:
    """Invite a consultant into `organisation` (by an operator, or by a colleague already in
    it); the e-mail goes once the transaction commits."""
    if invited_by is not None and invited_by.role != Role.OPERATOR:
        membership = PartnerMembership.objects.filter(user=invited_by).first()
        if membership is None or membership.organisation_id != organisation.pk:
            raise PartnerRefused(_("You can only invite colleagues into your own organisation."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = PartnerInvitation.objects.create(
            organisation=organisation,
            email=email.strip().lower(),
            full_name=full_name.strip(),
            token_hash=hash_token(token),
            invited_by=invited_by,
            expires_at=timezone.now() + PARTNER_INVITATION_VALID,
        )
        context = {
            "organisation": organisation.name,
            "link": control_url(f"/partners/invitation/{token}/"),
        }
        message = EmailMultiAlternatives(
            subject=_("You are invited to the Ratusz partner portal"),
            body=render_to_string("onboarding/emails/partner_invitation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[invitation.email],
        )
        queue_email(message)
    return IssuedPartnerInvitation(invitation=invitation, token=token)


def find_partner_invitation(token: str) -> PartnerInvitation:
    invitation = PartnerInvitation.objects.filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise LinkInvalid("unknown")
    if invitation.accepted_at is not None:
        raise LinkInvalid("used")
    if invitation.expires_at <= timezone.now():
        raise LinkInvalid("expired")
    return invitation


def accept_partner_invitation(*, token: str, full_name: str, password: str) -> User:
    """Create the partner account (public schema, role "partner") and its membership."""
    with transaction.atomic():
        invitation = find_partner_invitation(token)
        PartnerInvitation.objects.select_for_update().filter(pk=invitation.pk).first()
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise PartnerRefused(
                _("An account with this address already exists; ask an operator for help.")
            )
        user = User.objects.create_user(
            invitation.email,
            password,
            full_name=full_name.strip() or invitation.full_name,
            role=Role.PARTNER,
        )
        PartnerMembership.objects.create(user=user, organisation=invitation.organisation)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return user


def ensure_partner_account(*, city: CityRef, user: User) -> User:
    """The partner consultant's account in the city's schema (role "partner"), which the city
    sees among its staff and can revoke. Made, or reactivated while the partner has access."""
    with city_context(city):
        account = User.objects.filter(email__iexact=user.email).first()
        if account is None:
            account = User.objects.create_user(
                user.email, None, full_name=user.full_name, role=Role.PARTNER, is_staff=True
            )
        elif account.role != Role.PARTNER:
            raise PartnerRefused(
                _("This city already has an account with your address that is not a partner's.")
            )
        elif not account.is_active:
            account.is_active = True
            account.save(update_fields=["is_active"])
    return account


def open_city_for_partner(*, user: User, city_id: int) -> str:
    """A hand-off link that signs the partner into the city's back office; refused unless the
    partner's organisation set the city up and the city has not revoked or ended its access."""
    membership = PartnerMembership.objects.filter(user=user).select_related("organisation").first()
    link = PartnerCity.objects.filter(city_id=city_id).first()
    if membership is None or link is None or link.organisation_id != membership.organisation_id:
        raise PartnerRefused(_("Your organisation does not manage this city."))
    if not link.has_access:
        raise PartnerRefused(_("The city has ended your organisation's access."))
    city = City.objects.get(pk=city_id)
    ref = _ref(city)
    with transaction.atomic():
        account = ensure_partner_account(city=ref, user=user)
        token = issue_sign_in_link(city_id=city_id, user_id=account.pk, purpose=LinkPurpose.HANDOFF)
    return city_url(ref.primary_domain, f"/welcome/sign-in/{token}/")


def _deactivate_partner_accounts() -> int:
    # Deactivated accounts lose their sessions at once: Django's auth backend refuses
    # inactive users on every request.
    return User.objects.filter(role=Role.PARTNER, is_active=True).update(is_active=False)


def revoke_partner_access(*, city: CityRef) -> PartnerCity | None:
    """The city ends its partner's access: every partner account in the city stops working now.
    Attribution (for commissions) is kept."""
    with transaction.atomic():
        with city_context(city):
            _deactivate_partner_accounts()
        with control_plane():
            link = PartnerCity.objects.select_for_update().filter(city_id=city.id).first()
            if link is not None:
                link.access = PartnerAccess.REVOKED
                link.access_changed_at = timezone.now()
                link.save(update_fields=["access", "access_changed_at"])
    return link


def hand_over_city(*, city: CityRef, keep_as_consultant: bool) -> PartnerCity:
    """The partner hands the portal over to the city. With the city's agreement the partner
    stays as a consultant (its accounts keep working); otherwise its access ends."""
    with transaction.atomic():
        with control_plane():
            link = PartnerCity.objects.select_for_update().get(city_id=city.id)
            if not link.has_access:
                raise PartnerRefused(_("The partner's access has already ended."))
            link.access = PartnerAccess.CONSULTANT if keep_as_consultant else PartnerAccess.ENDED
            link.access_changed_at = timezone.now()
            link.save(update_fields=["access", "access_changed_at"])
        if not keep_as_consultant:
            with city_context(city):
                _deactivate_partner_accounts()
    return link
