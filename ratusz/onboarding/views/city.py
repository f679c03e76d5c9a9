"""Pages of onboarding served on a city's host (urls_city.py): the one-time sign-in link and
the administrators' page about the partner who set the city up."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ratusz.accounts.doors import BY_KEY
from ratusz.accounts.models import User
from ratusz.accounts.rules import check_staff_access, is_administrator
from ratusz.accounts.signin import count_failure, sign_in, too_many_failures
from ratusz.accounts.views import too_many_attempts
from ratusz.errors import refusal_message
from ratusz.onboarding import selectors, services
from ratusz.onboarding.forms import (
    HandOverForm,
)
from ratusz.onboarding.models import LinkPurpose, PartnerCity
from ratusz.tenants.context import control_plane

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def _invalid_link(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "onboarding/link_invalid.html", {"reason": reason}, status=410)


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """A one-time sign-in link. The browser hand-off signs in at once; an e-mailed link asks
    for a click first, so that mail scanners that open links do not use it up."""
    city = getattr(request, "city", None)
    if city is None:
        raise Http404
    if too_many_failures(request):
        return too_many_attempts(request)
    try:
        link = services.find_sign_in_link(token=token, city_id=city.id)
    except services.LinkInvalid as invalid:
        count_failure(request)
        return _invalid_link(request, invalid.reason)
    if request.method == "GET" and link.purpose == LinkPurpose.EMAIL:
        return render(request, "onboarding/sign_in_confirm.html", {"city": city})
    try:
        link = services.redeem_sign_in_link(token=token, city_id=city.id)
    except services.LinkInvalid as invalid:
        count_failure(request)
        return _invalid_link(request, invalid.reason)
    user = User.objects.filter(pk=link.user_id, is_active=True).first()
    if user is None:
        return _invalid_link(request, "account")
    if link.purpose == LinkPurpose.EMAIL:
        messages.success(request, _("Your e-mail address is confirmed. Welcome!"))
    return sign_in(request, user=user, door=BY_KEY["sign-in-link"], redirect_url=link.next_path)


def _city_administrator(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request, "city", None) is None:
            raise Http404
        # Staff pages' rule first (sign in; the city's two-factor requirement), then
        # administrators only.
        refusal = check_staff_access(request)
        if refusal is not None:
            return refusal
        if not is_administrator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return cast(View, wrapped)


@never_cache
@_city_administrator
@require_http_methods(["GET", "POST"])
def partner_access(request: HttpRequest) -> HttpResponse:
    """The city's administrators see the partner's accounts, revoke them or accept the
    hand-over (with or without keeping the partner as a consultant)."""
    city = request.city  # type: ignore[attr-defined]  # set by CityRoutingMiddleware
    with control_plane():
        link = PartnerCity.objects.filter(city_id=city.id).select_related("organisation").first()
    form = HandOverForm(request.POST or None)
    if request.method == "POST" and link is not None:
        action = request.POST.get("action")
        if action == "revoke":
            services.revoke_partner_access(city=city)
            messages.success(request, _("The partner's access has ended."))
        elif action == "hand-over" and form.is_valid():
            try:
                services.hand_over_city(
                    city=city, keep_as_consultant=form.cleaned_data["keep_as_consultant"]
                )
            except services.PartnerRefused as refused:
                refusal_message(request, refused)
            else:
                messages.success(request, _("The portal is handed over to the city."))
        return redirect("onboarding_city:partner-access")
    return render(
        request,
        "onboarding/partner_access.html",
        {"link": link, "accounts": selectors.city_partner_accounts(), "form": form},
    )
