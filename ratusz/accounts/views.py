from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.account.models import EmailAddress
from allauth.account.views import ConfirmEmailView as AllauthConfirmEmailView
from allauth.mfa.totp.views import ActivateTOTPView as AllauthActivateTOTPView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from ratusz.accounts import rules, selectors, services
from ratusz.accounts.adapter import POLICIES_PENDING_SESSION_KEY, city_of
from ratusz.accounts.doors import BY_KEY
from ratusz.accounts.extensions import InvitationRefused
from ratusz.accounts.forms import (
    AcceptInvitationForm,
    CityAccountRulesForm,
    ConsentForm,
    DeleteAccountForm,
    ProfileForm,
)
from ratusz.accounts.models import User
from ratusz.accounts.personal_data import build_archive
from ratusz.accounts.services import InvitationInvalid, accept_invitation, find_open_invitation
from ratusz.accounts.signin import count_failure, sign_in, too_many_failures


def too_many_attempts(request: HttpRequest) -> HttpResponse:
    """The answer of every token door once this network used up its failed attempts."""
    return render(request, "accounts/too_many_attempts.html", status=429)


@never_cache
@sensitive_post_parameters("password")
def accept_invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    if too_many_failures(request):
        return too_many_attempts(request)
    try:
        invitation = find_open_invitation(token)
    except InvitationInvalid as invalid:
        count_failure(request)
        return render(
            request, "accounts/invitation_invalid.html", {"reason": invalid.reason}, status=410
        )
    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
            )
        except InvitationInvalid as invalid:
            return render(
                request, "accounts/invitation_invalid.html", {"reason": invalid.reason}, status=410
            )
        except InvitationRefused as refused:
            # Nothing was created: the page says why (e.g. no staff seat left in the plan).
            return render(
                request,
                "accounts/invitation_accept.html",
                {"form": form, "invitation": invitation, "refusal": refused.message},
                status=400,
            )
        return sign_in(request, user=user, door=BY_KEY["invitation"], redirect_url="/")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


class ActivateTOTPView(AllauthActivateTOTPView):
    """allauth's set-up of an authenticator app, mounted on both planes in its place. The form
    checked a code from the new app: this session has used a second factor, so the console (or
    a back office that requires one) opens without asking for another code at once."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record_authentication(self.request, self.request.user, "mfa", type="totp", activated=True)
        return response


def _account(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@login_required
@require_http_methods(["GET", "POST"])
def overview_view(request: HttpRequest) -> HttpResponse:
    """My account: name, and the ways to everything else about the account."""
    user = _account(request)
    form = ProfileForm(request.POST or None, initial={"full_name": user.full_name})
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=user, full_name=form.cleaned_data["full_name"])
        messages.success(request, _("Your name was saved."))
        return redirect("accounts:overview")
    return render(
        request,
        "accounts/overview.html",
        {
            "form": form,
            "email_confirmed": rules.has_confirmed_email(user),
            "two_factor": rules.has_two_factor(user),
            "is_staff_member": rules.is_city_staff(user),
            "two_factor_required": rules.must_set_up_two_factor(user),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def consent_view(request: HttpRequest) -> HttpResponse:
    """Accept the city's current terms of use and privacy policy."""
    user = _account(request)
    next_url = _safe_next(request)
    pending = selectors.pending_policies(user)
    if not pending:
        request.session.pop(POLICIES_PENDING_SESSION_KEY, None)
        return redirect(next_url)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_consent(
            user=user,
            terms_version=form.cleaned_data["terms_version"],
            privacy_version=form.cleaned_data["privacy_version"],
        )
        request.session.pop(POLICIES_PENDING_SESSION_KEY, None)
        messages.success(request, _("Thank you. Your consent was recorded."))
        return redirect(next_url)
    return render(
        request,
        "accounts/consent.html",
        {"form": form, "pending": pending, "next": next_url},
    )


@login_required
@require_http_methods(["GET", "POST"])
def data_view(request: HttpRequest) -> HttpResponse:
    """Download my data: GET explains, POST answers with the ZIP."""
    user = _account(request)
    if request.method == "GET":
        return render(request, "accounts/data.html")
    archive = build_archive(profile=selectors.profile_data(user), user=user)
    city = getattr(request, "city", None)
    prefix = f"{city.slug}-" if city is not None else ""
    filename = f"{prefix}my-data-{timezone.localdate():%Y-%m-%d}.zip"
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def delete_view(request: HttpRequest) -> HttpResponse:
    """Delete my account, confirmed with my password."""
    user = _account(request)
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.delete_account(user=user)
        logout(request)
        messages.success(request, _("Your account was deleted."))
        return redirect("/")
    return render(request, "accounts/delete.html", {"form": form})


@never_cache
@rules.staff_required
def city_rules_view(request: HttpRequest) -> HttpResponse:
    """Administrators: two-factor for staff, where the terms live, and new versions of them."""
    if not rules.is_administrator(request.user):
        return render(request, "accounts/administrators_only.html", status=403)
    current = selectors.account_settings()
    form = CityAccountRulesForm(
        request.POST or None,
        initial={
            "staff_two_factor_required": current.staff_two_factor_required,
            "terms_url": current.terms_url,
            "privacy_url": current.privacy_url,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.set_staff_two_factor_required(required=data["staff_two_factor_required"])
        services.set_policy_urls(terms_url=data["terms_url"], privacy_url=data["privacy_url"])
        for document in data["publish"]:
            services.publish_policy_version(document=document)
        messages.success(request, _("The account rules are saved."))
        return redirect("accounts:city-rules")
    return render(
        request,
        "accounts/city_rules.html",
        {"form": form, "current": current},
        status=400 if request.method == "POST" else 200,
    )


@method_decorator(login_not_required, name="dispatch")
class ConfirmEmailView(AllauthConfirmEmailView):
    """allauth's confirmation link, and the door by which a new account signs in (doors.py).

    Sign-up never signs in (it answers the same for a taken address); following the link of a
    city account's first address does, once, through `sign_in`: a used link confirms nothing
    and signs nobody in. Wrong keys count towards the token doors' limit.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if too_many_failures(request):
            return too_many_attempts(request)
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response

    def get_object(self, queryset: Any = None) -> Any:
        try:
            return super().get_object(queryset)
        except Http404:
            count_failure(self.request)
            raise

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = confirmation = self.get_object()
        user = confirmation.email_address.user
        first = not EmailAddress.objects.filter(user=user, verified=True).exists()
        if not confirmation.confirm(self.request):
            response: HttpResponse = self.respond(False)
            return response
        self.logout_other_user(confirmation)
        if first and city_of(self.request) is not None and not self.request.user.is_authenticated:
            return sign_in(
                self.request,
                user=user,
                door=BY_KEY["confirm-email"],
                # Not get_redirect_url(): that is the sign-in page for an anonymous visitor.
                redirect_url=self.get_next_url() or resolve_url(settings.LOGIN_REDIRECT_URL),
            )
        response = self.respond(True)
        return response
