"""How django-allauth behaves in a city portal.

- Sign-up exists only in city portals, never on the control plane.
- E-mails are rendered in the request (links to the city's own host, the visitor's language,
  the city's name) and sent by a Celery task after the transaction commits.
- A sign-in after the city published a new version of its terms or privacy policy goes through
  the consent page first (PolicyConsentMiddleware keeps the person there).
"""

from __future__ import annotations

from email.headerregistry import Address
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sites.shortcuts import get_current_site
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from ratusz.accounts import selectors, services
from ratusz.accounts.emails import queue_email
from ratusz.accounts.extensions import email_confirmed_hooks
from ratusz.accounts.models import User
from ratusz.accounts.signin import door_of_this_sign_in
from ratusz.origins import on_public_origin

POLICIES_PENDING_SESSION_KEY = "ratusz_policies_pending"
# allauth's "confirmation e-mail sent to <address>" notice: at sign-up the page says it instead,
# the same for a new address and a taken one (see SignupConfirmsFirstStage).
CONFIRMATION_SENT_MESSAGE = "account/messages/email_confirmation_sent.txt"
# The links allauth puts into its e-mails' context.
LINKS_IN_EMAILS = ("activate_url", "password_reset_url", "signup_url")


def city_of(request: HttpRequest | None) -> Any:
    """The city the request is for (a ratusz.tenants CityRef), None on the control plane."""
    return getattr(request, "city", None) if request is not None else None


def consent_url(next_url: str) -> str:
    return f"{reverse('accounts:consent')}?{urlencode({'next': next_url})}"


class CityAccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_taken": _(
            "An account with this e-mail address already exists. Sign in, or reset your "
            "password if you forgot it."
        ),
    }

    def get_login_stages(self) -> list[str]:
        ours = f"{SignupConfirmsFirstStage.__module__}.{SignupConfirmsFirstStage.__qualname__}"
        return [
            ours if path == "allauth.account.stages.EmailVerificationStage" else path
            for path in super().get_login_stages()
        ]

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        if message_template == CONFIRMATION_SENT_MESSAGE and (message_context or {}).get("signup"):
            # It would name the address, and is left out when a confirmation to a taken
            # address was sent recently: either would tell a new address from a taken one.
            return
        super().add_message(
            request,
            level,
            message_template,
            message_context,
            extra_tags=extra_tags,
            message=message,
        )

    def unstash_verified_email(self, request: HttpRequest) -> str | None:
        # allauth leaves the key behind, set to None, when a new account is made: a session
        # would then differ from that of a sign-up with a taken address.
        email: str | None = request.session.pop("account_verified_email", None)
        return email

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return city_of(request) is not None and super().is_open_for_signup(request)

    def clean_email(self, email: str) -> str:
        return super().clean_email(email).strip().lower()

    def save_user(
        self, request: HttpRequest, user: AbstractBaseUser, form: BaseForm, commit: bool = True
    ) -> AbstractBaseUser:
        user = super().save_user(request, user, form, commit=False)
        assert isinstance(user, User)
        data = form.cleaned_data
        if not commit:
            return user
        return services.complete_signup(
            user=user,
            full_name=data.get("full_name", ""),
            language=translation.get_language() or settings.LANGUAGE_CODE,
            terms_version=data["terms_version"],
            privacy_version=data["privacy_version"],
            extra=data,
        )

    # --- e-mails --------------------------------------------------------------------------

    def confirm_email(self, request: HttpRequest, email_address: Any) -> bool:
        first = not EmailAddress.objects.filter(user=email_address.user, verified=True).exists()
        confirmed = bool(super().confirm_email(request, email_address))
        if confirmed and first:
            for hook in email_confirmed_hooks():
                hook(email_address.user)
        return confirmed

    def format_email_subject(self, subject: str) -> str:
        city = city_of(allauth_context.request)
        prefix = f"[{city.name}] " if city is not None else ""
        return prefix + force_str(subject)

    def get_from_email(self) -> str:
        city = city_of(allauth_context.request)
        name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        # Django encodes a non-ASCII name when it sends the message.
        return str(Address(display_name=city.name if city is not None else name, addr_spec=address))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = allauth_context.request
        city = city_of(request)
        # Links point at the city's primary domain (the control plane's for operators and
        # partners) on the configured scheme and port, never at the Host header's.
        host = city.primary_domain if city is not None else settings.BASE_DOMAIN
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "city": city,
            "portal_url": on_public_origin("/", host),
        }
        ctx.update(context)
        for key in LINKS_IN_EMAILS:
            if isinstance(ctx.get(key), str):
                ctx[key] = on_public_origin(ctx[key], host)
        queue_email(self.render_mail(template_prefix, email, ctx))

    # --- signing in -----------------------------------------------------------------------

    def post_login(
        self,
        request: HttpRequest,
        user: AbstractBaseUser,
        *,
        email_verification: str,
        signal_kwargs: dict[str, Any] | None,
        email: str | None,
        signup: bool,
        redirect_url: str | None,
    ) -> HttpResponse:
        response = super().post_login(
            request,
            user,
            email_verification=email_verification,
            signal_kwargs=signal_kwargs,
            email=email,
            signup=signup,
            redirect_url=redirect_url,
        )
        if signup or city_of(request) is None or not isinstance(user, User):
            return response
        door = door_of_this_sign_in(request, user)
        if door is not None and not door.asks_consent:
            return response
        if selectors.pending_policies(user):
            request.session[POLICIES_PENDING_SESSION_KEY] = True
            next_url = response["Location"] if response.has_header("Location") else "/"
            return HttpResponseRedirect(consent_url(next_url))
        return response


class SignupConfirmsFirstStage(EmailVerificationStage):
    """allauth's e-mail verification step, except that a sign-up is never signed in directly.

    Sign-up must answer the same for a new address and one that has an account (the owner of
    that one is e-mailed instead, ACCOUNT_PREVENT_ENUMERATION): both end on the "check your
    e-mail" page, and the new account signs in by its confirmation link (the "confirm-email"
    door). Other sign-ins keep ACCOUNT_EMAIL_VERIFICATION="optional": an unconfirmed account
    may sign in with its password, and what needs a confirmed address says so.
    """

    def handle(self) -> tuple[HttpResponse | None, bool]:
        if self.login.signup:
            self.login.email_verification = EmailVerificationMethod.MANDATORY
        response, cont = super().handle()
        return response, cont


class CityMFAAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self) -> str:
        city = city_of(allauth_context.request)
        return str(city.name) if city is not None else super().get_totp_issuer()
