"""The partner portal (control plane): partners sign in, see the cities they set up, open
one, set up a new one and invite colleagues."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from allauth.account.views import LoginView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ratusz.accounts.doors import BY_KEY
from ratusz.accounts.models import Role, User
from ratusz.accounts.signin import count_failure, sign_in, too_many_failures
from ratusz.accounts.views import too_many_attempts
from ratusz.errors import refusal_to_form
from ratusz.onboarding import selectors, services
from ratusz.onboarding.forms import (
    PartnerInvitationAcceptForm,
    PartnerInviteForm,
)
from ratusz.onboarding.views.city import _invalid_link
from ratusz.onboarding.views.signup import _wizard
from ratusz.tenants.links import city_url
from ratusz.tenants.models import Domain

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def partner_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(
                request.get_full_path(), login_url=reverse("onboarding:partner-sign-in")
            )
        organisation = selectors.partner_organisation(request.user)
        if organisation is None:
            raise PermissionDenied
        request.partner_organisation = organisation  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return cast(View, wrapped)


class PartnerSignInView(LoginView):
    """allauth's sign-in (its limits on failed attempts, its second-factor step) in the
    partners' own page, landing on their dashboard."""

    template_name = "onboarding/partner_sign_in.html"

    def get_success_url(self) -> str:
        return super().get_success_url() or reverse("onboarding:partner-dashboard")


@require_POST
def partner_sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("onboarding:landing")


@never_cache
@partner_required
def partner_dashboard(request: HttpRequest) -> HttpResponse:
    organisation = request.partner_organisation  # type: ignore[attr-defined]
    rows = selectors.partner_cities(organisation)
    response = render(
        request, "onboarding/partner_dashboard.html", {"organisation": organisation, "rows": rows}
    )
    # The "open the back office" buttons post here and are redirected to each city's own host,
    # which may be a custom domain; the Content-Security-Policy's form-action follows redirects,
    # so it names those hosts too (django-csp's per-response update).
    hosts = Domain.objects.filter(tenant_id__in=[row.city.pk for row in rows], is_primary=True)
    origins = sorted({city_url(host, "") for host in hosts.values_list("domain", flat=True)})
    if origins:
        response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]  # django-csp reads it
    return response


@never_cache
@partner_required
@require_http_methods(["GET", "POST"])
def partner_new_city(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    return _wizard(request, partner_user=user)


@partner_required
@require_POST
def partner_open_city(request: HttpRequest, city_id: int) -> HttpResponse:
    """Into the city's back office as the partner's account there (a one-time hand-off)."""
    user = request.user
    assert isinstance(user, User)
    try:
        url = services.open_city_for_partner(user=user, city_id=city_id)
    except services.PartnerRefused as refused:
        return render(
            request, "onboarding/partner_refused.html", {"reason": str(refused)}, status=403
        )
    return redirect(url)


@never_cache
@partner_required
@require_http_methods(["GET", "POST"])
def partner_invite(request: HttpRequest) -> HttpResponse:
    """A partner invites a colleague into its organisation."""
    organisation = request.partner_organisation  # type: ignore[attr-defined]
    form = PartnerInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        assert isinstance(user, User)
        services.invite_partner(
            organisation=organisation,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            invited_by=user,
        )
        messages.success(request, _("The invitation is on its way."))
        return redirect("onboarding:partner-dashboard")
    return render(request, "onboarding/partner_invite.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def partner_invitation(request: HttpRequest, token: str) -> HttpResponse:
    if too_many_failures(request):
        return too_many_attempts(request)
    try:
        invitation = services.find_partner_invitation(token)
    except services.LinkInvalid as invalid:
        count_failure(request)
        return _invalid_link(request, invalid.reason)
    form = PartnerInvitationAcceptForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_partner_invitation(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
            )
        except services.LinkInvalid as invalid:
            return _invalid_link(request, invalid.reason)
        except services.PartnerRefused as refused:
            refusal_to_form(form, refused)
        else:
            return sign_in(
                request,
                user=user,
                door=BY_KEY["partner-invitation"],
                redirect_url=reverse("onboarding:partner-dashboard"),
            )
    return render(
        request,
        "onboarding/partner_invitation.html",
        {"form": form, "invitation": invitation, "role": Role.PARTNER.label},
    )
