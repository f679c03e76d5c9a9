"""The sign-up wizard's writes: a city signed up (provisioned, its plan and template applied,
its administrator invited by a sign-in link), a duplicate recognised, the e-mail sent again."""

from __future__ import annotations

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
    PartnerCity,
    PartnerMembership,
    Signup,
)
from ratusz.onboarding.services.links import EMAIL_LINK_VALID, _ref, issue_sign_in_link
from ratusz.onboarding.services.partners import PartnerRefused, ensure_partner_account
from ratusz.tenants.context import CityRef, city_context
from ratusz.tenants.db.statement_timeout import without_statement_timeout
from ratusz.tenants.links import city_url
from ratusz.tenants.models import City
from ratusz.tenants.services import ProvisioningRefused, provision_city

logger = logging.getLogger(__name__)


# A second submission of the same wizard form signs the browser in again only this soon after
# the first (a double click, a slow first response); later it is told to use the e-mail.
DUPLICATE_WINDOW = timedelta(minutes=10)


class SignupRefused(Refused, ValueError):
    """Input that cannot make a city; `errors` maps each wizard field to a reason."""

    code = "signup_refused"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


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
