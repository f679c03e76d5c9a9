"""Writes of onboarding: a city's self-signup, one-time sign-in links, partners and their
access to the cities they set up.

City-plane writes (the administrator's account, the template's content, partner accounts) run
inside `city_context(...)`: the one visible crossing from the control plane into a city.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import connection as default_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ratusz.accounts.emails import queue_email
from ratusz.accounts.models import Role, User
from ratusz.accounts.services import accept_invitation
from ratusz.billing.plans import PLANS, apply_plan
from ratusz.billing.services import ensure_account
from ratusz.errors import Refused
from ratusz.onboarding.city_templates import apply_template
from ratusz.onboarding.models import (
    LinkPurpose,
    PartnerAccess,
    PartnerCity,
    PartnerInvitation,
    PartnerMembership,
    PartnerOrganisation,
    SignInLink,
    Signup,
)
from ratusz.tenants.context import CityRef, city_context, control_plane
from ratusz.tenants.db.statement_timeout import without_statement_timeout
from ratusz.tenants.links import city_url, control_url
from ratusz.tenants.models import City, Domain
from ratusz.tenants.services import ProvisioningRefused, open_city, provision_city

logger = logging.getLogger(__name__)

# The e-mailed link: long enough to reach an inbox and be opened the same day.
EMAIL_LINK_VALID = timedelta(hours=24)
# The hand-off from the browser that asked for it to the city's host: a redirect, so seconds.
HANDOFF_LINK_VALID = timedelta(minutes=5)
# A second submission of the same wizard form signs the browser in again only this soon after
# the first (a double click, a slow first response); later it is told to use the e-mail.
DUPLICATE_WINDOW = timedelta(minutes=10)
PARTNER_INVITATION_VALID = timedelta(days=14)


class SignupRefused(Refused, ValueError):
    """Input that cannot make a city; `errors` maps each wizard field to a reason."""

    code = "signup_refused"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class LinkInvalid(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "unknown" | "expired" | "used" | "account"


class PartnerRefused(Refused, PermissionError):
    code = "partner_refused"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _ref(city: City) -> CityRef:
    domain = Domain.objects.filter(tenant=city, is_primary=True).values_list("domain", flat=True)
    return CityRef.from_city(city, domain.first() or f"{city.slug}.{settings.BASE_DOMAIN}")


# --- one-time sign-in links -------------------------------------------------------------------


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


# --- the wizard -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignupResult:
    signup: Signup
    city: City
    created: bool
    # Where to send the browser that submitted the wizard (None for a partner, or for a late
    # duplicate submission: the administrator then signs in from the e-mail).
    handoff_url: str | None


def _lock_key(key: uuid.UUID) -> None:
    # Two submissions of one form wait for each other here, so the second finds the first's row.
    # The wait lasts as long as the first one's provisioning, which may be longer than a web
    # request's statement limit: the second must then get the duplicate's answer, not the 503.
    with without_statement_timeout(), default_connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [str(key)])


def _create_city_administrator(*, invitation_token: str, full_name: str) -> User:
    """The city's first administrator, made by accepting the invitation provisioning issued
    (the production path: invitation hooks run). They sign in by one-time links until they
    set a password of their own."""
    user = accept_invitation(
        token=invitation_token, full_name=full_name, password=secrets.token_urlsafe(32)
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def _send_sign_in_email(*, signup: Signup, ref: CityRef, token: str) -> None:
    with translation.override(ref.default_language):
        context = {
            "city_name": ref.name,
            "admin_name": signup.admin_name,
            "link": city_url(ref.primary_domain, f"/welcome/sign-in/{token}/"),
            "portal_url": city_url(ref.primary_domain),
            "valid_hours": int(EMAIL_LINK_VALID.total_seconds() // 3600),
        }
        message = EmailMultiAlternatives(
            subject=_("Your portal %(city)s is ready: sign in") % {"city": ref.name},
            body=render_to_string("onboarding/emails/sign_in.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[signup.admin_email],
        )
        message.attach_alternative(
            render_to_string("onboarding/emails/sign_in.html", context), "text/html"
        )
    queue_email(message)


def sign_up_city(
    *,
    idempotency_key: uuid.UUID,
    name: str,
    country: str,
    population: int | None,
    languages: list[str],
    default_language: str,
    slug: str,
    admin_name: str,
    admin_email: str,
    plan: str,
    template: str,
    ip_address: str | None = None,
    partner_user: User | None = None,
    browser: str = "",
) -> SignupResult:
    """Make a city from the wizard: provision it (schema, domain, administrator), fill it from
    the chosen template, e-mail the administrator a one-time sign-in link and, for a city that
    signs itself up, hand the browser a link that signs it in at once. All of it, or nothing;
    the same form submitted twice makes one city. `browser` identifies the browser that
    submitted (a hash of its CSRF cookie): only that browser gets a hand-off link again for a
    repeated submission, not one that replays the form's key."""
    organisation = None
    if partner_user is not None:
        membership = PartnerMembership.objects.filter(user=partner_user).first()
        if membership is None:
            raise PartnerRefused(_("Only partner consultants can set up a city for a client."))
        organisation = membership.organisation
    if plan and plan not in PLANS:
        raise SignupRefused({"plan": _("Choose one of the plans, or the free trial.")})
    email = admin_email.strip().lower()
    with transaction.atomic():
        _lock_key(idempotency_key)
        existing = Signup.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _duplicate(existing, partner_user, browser=browser)
        try:
            made = provision_city(
                name=name,
                slug=slug,
                admin_email=email,
                admin_name=admin_name,
                country=country,
                default_language=default_language,
                languages=languages,
                # Public once the administrator confirmed their address (the e-mailed link).
                open_now=False,
            )
        except ProvisioningRefused as refused:
            errors = dict(refused.errors)
            if "default_language" in errors:
                errors["languages"] = errors.pop("default_language")
            raise SignupRefused(errors) from refused
        city, ref = made.city, made.ref
        now = timezone.now()
        signup = Signup.objects.create(
            city_id=city.pk,
            idempotency_key=idempotency_key,
            organisation_name=city.name,
            population=population,
            admin_name=admin_name.strip(),
            admin_email=email,
            plan=plan,
            template=template,
            partner=organisation,
            ip_address=ip_address,
            terms_accepted_at=now,
        )
        ensure_account(city=city)
        if plan:
            # The trial runs on the chosen plan's features, so what they try is what they buy.
            city = apply_plan(city=city, plan=PLANS[plan])
        with city_context(ref):
            # provision_city returns the invitation's token only inside its link.
            invitation_token = made.invitation_url.rstrip("/").rsplit("/", 1)[-1]
            admin = _create_city_administrator(
                invitation_token=invitation_token, full_name=admin_name
            )
            apply_template(code=template, admin=admin, city=ref)
        if organisation is not None and partner_user is not None:
            PartnerCity.objects.create(
                organisation=organisation, city_id=city.pk, created_by=partner_user
            )
            ensure_partner_account(city=ref, user=partner_user)
        email_token = issue_sign_in_link(
            city_id=city.pk, user_id=admin.pk, purpose=LinkPurpose.EMAIL
        )
        _send_sign_in_email(signup=signup, ref=ref, token=email_token)
        handoff_url = None
        if partner_user is None:
            if browser:
                cache.set(_browser_key(idempotency_key), browser, DUPLICATE_WINDOW.total_seconds())
            handoff = issue_sign_in_link(
                city_id=city.pk, user_id=admin.pk, purpose=LinkPurpose.HANDOFF
            )
            handoff_url = city_url(ref.primary_domain, f"/welcome/sign-in/{handoff}/")
    logger.info("city %s signed up (template %s, partner %s)", city.slug, template, organisation)
    return SignupResult(signup=signup, city=city, created=True, handoff_url=handoff_url)


def _browser_key(idempotency_key: uuid.UUID) -> str:
    return f"onboarding:signup-browser:{idempotency_key}"


def _duplicate(signup: Signup, partner_user: User | None, *, browser: str) -> SignupResult:
    city = City.objects.get(pk=signup.city_id)
    handoff_url = None
    recent = timezone.now() - signup.created_at < DUPLICATE_WINDOW
    # A new sign-in link only for the browser that submitted the form first: a replay of the
    # form's key from anywhere else gets the "check your e-mail" answer.
    same_browser = bool(browser) and cache.get(_browser_key(signup.idempotency_key)) == browser
    if partner_user is None and signup.partner_id is None and recent and same_browser:
        ref = _ref(city)
        with city_context(ref):
            admin = User.objects.filter(
                email__iexact=signup.admin_email, role=Role.ADMINISTRATOR
            ).first()
        if admin is not None:
            token = issue_sign_in_link(
                city_id=city.pk, user_id=admin.pk, purpose=LinkPurpose.HANDOFF
            )
            handoff_url = city_url(ref.primary_domain, f"/welcome/sign-in/{token}/")
    return SignupResult(signup=signup, city=city, created=False, handoff_url=handoff_url)


def resume_signup(*, idempotency_key: uuid.UUID, browser: str) -> SignupResult | None:
    """The result of an earlier submission of the same form (None if there was none)."""
    signup = Signup.objects.filter(idempotency_key=idempotency_key).first()
    return _duplicate(signup, None, browser=browser) if signup is not None else None


def resend_sign_in_email(*, city: City) -> None:
    """A new e-mailed link for the city's first administrator (the old ones stay valid until
    they expire)."""
    signup = Signup.objects.get(city_id=city.pk)
    ref = _ref(city)
    with city_context(ref):
        admin = User.objects.get(email__iexact=signup.admin_email)
    with transaction.atomic():
        token = issue_sign_in_link(city_id=city.pk, user_id=admin.pk, purpose=LinkPurpose.EMAIL)
        _send_sign_in_email(signup=signup, ref=ref, token=token)


# --- partners ---------------------------------------------------------------------------------


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
