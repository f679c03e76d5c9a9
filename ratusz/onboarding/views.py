"""Public site, the sign-up wizard and the partner portal (control plane), and the one-time
sign-in and partner-access pages served on a city's host (urls_city.py)."""

from __future__ import annotations

import hashlib
import ipaddress
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from allauth.account.views import LoginView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ratusz.accounts.doors import BY_KEY
from ratusz.accounts.models import Role, User
from ratusz.accounts.rules import check_staff_access, is_administrator
from ratusz.accounts.signin import count_failure, sign_in, too_many_failures
from ratusz.accounts.views import too_many_attempts
from ratusz.billing.plans import PLANS, Currency, Interval
from ratusz.errors import refusal_message, refusal_to_form
from ratusz.onboarding import selectors, services, throttling
from ratusz.onboarding.city_templates import available_templates
from ratusz.onboarding.forms import (
    NO_SUBDOMAIN_FROM_NAME,
    HandOverForm,
    PartnerInvitationAcceptForm,
    PartnerInviteForm,
    SignupForm,
    name_gives_a_subdomain,
    slug_problem,
)
from ratusz.onboarding.models import LinkPurpose, PartnerCity
from ratusz.tenants.context import control_plane
from ratusz.tenants.links import city_url
from ratusz.tenants.models import Domain
from ratusz.tenants.slugs import suggest_slug

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "onboarding/landing.html", {"templates": available_templates()})


def pricing(request: HttpRequest) -> HttpResponse:
    plans = [
        {
            "plan": plan,
            "month_pln": plan.price(interval=Interval.MONTH, currency=Currency.PLN) // 100,
            "month_eur": plan.price(interval=Interval.MONTH, currency=Currency.EUR) // 100,
            "year_pln": plan.price(interval=Interval.YEAR, currency=Currency.PLN) // 100,
        }
        for plan in PLANS.values()
    ]
    return render(request, "onboarding/pricing.html", {"plans": plans})


# --- the wizard -------------------------------------------------------------------------------


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _valid_ip(ip: str) -> str | None:
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        return None


def _wizard(request: HttpRequest, *, partner_user: User | None) -> HttpResponse:
    template = "onboarding/signup.html"
    initial = {"plan": request.GET["plan"]} if request.GET.get("plan") in PLANS else {}
    form = SignupForm(request.POST or None, initial=initial)
    context: dict[str, Any] = {
        "form": form,
        "base_domain": settings.BASE_DOMAIN,
        "partner": partner_user is not None,
        "templates": available_templates(),
    }
    if request.method != "POST":
        return render(request, template, context)
    if form.is_bot:
        # Say nothing a bot could learn from; a person never fills the hidden field.
        return render(request, "onboarding/signup_sent.html", {"email": ""})
    ip = _client_ip(request)
    if not throttling.allow_submission(ip):
        context["refusal"] = _("Too many attempts from your network. Try again in an hour.")
        return render(request, template, context, status=429)
    earlier = _earlier_submission(request)
    if earlier is not None:
        # The same form again (a double click): its city exists, so its subdomain is "taken";
        # answer as the first submission did instead of refusing.
        result = earlier
    elif not form.is_valid():
        return render(request, template, context, status=400)
    else:
        result_or_response = _create(request, form, context, ip, partner_user)
        if isinstance(result_or_response, HttpResponse):
            return result_or_response
        result = result_or_response
    if partner_user is not None:
        messages.success(
            request,
            _("The portal of %(city)s is ready. Its administrator got a sign-in link by e-mail.")
            % {"city": result.city.name},
        )
        return redirect("onboarding:partner-dashboard")
    if result.handoff_url:
        return redirect(result.handoff_url)
    # A repeated submission from another browser learns nothing of the first one's address.
    email = result.signup.admin_email if result.created else ""
    return render(request, "onboarding/signup_sent.html", {"email": email})


def _browser(request: HttpRequest) -> str:
    """Who submitted the wizard, as far as a repeated submission needs to know: a hash of the
    browser's CSRF cookie (set when the form was shown), empty without one."""
    cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    return hashlib.sha256(cookie.encode()).hexdigest() if cookie else ""


def _earlier_submission(request: HttpRequest) -> services.SignupResult | None:
    try:
        key = uuid.UUID(str(request.POST.get("idempotency_key", "")))
    except ValueError:
        return None
    return services.resume_signup(idempotency_key=key, browser=_browser(request))


def _create(
    request: HttpRequest,
    form: SignupForm,
    context: dict[str, Any],
    ip: str,
    partner_user: User | None,
) -> services.SignupResult | HttpResponse:
    template = "onboarding/signup.html"
    data = form.cleaned_data
    if not throttling.may_sign_up(ip=ip, email=data["admin_email"]):
        context["refusal"] = _(
            "Too many portals were created from your network or for this e-mail today. "
            "Try again tomorrow or write to us."
        )
        return render(request, template, context, status=429)
    try:
        result = services.sign_up_city(
            idempotency_key=data["idempotency_key"],
            name=data["name"],
            country=data["country"],
            population=data["population"],
            languages=list(data["languages"]),
            default_language=data["default_language"],
            slug=data["slug"],
            admin_name=data["admin_name"],
            admin_email=data["admin_email"],
            plan=form.plan_code(),
            template=data["template"],
            ip_address=_valid_ip(ip),
            partner_user=partner_user,
            browser=_browser(request),
        )
    except services.SignupRefused as refused:
        for field, reason in refused.errors.items():
            form.add_error(field if field in form.fields else None, reason)
        return render(request, template, context, status=400)
    if result.created:
        throttling.record_signup(ip=ip, email=data["admin_email"])
    return result


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    return _wizard(request, partner_user=None)


@require_GET
def check_slug(request: HttpRequest) -> HttpResponse:
    """The subdomain's availability as the person types (HTMX), with the reason if refused."""
    slug = request.GET.get("slug", "").strip()
    suggested = ""
    problem = None
    name = request.GET.get("name", "")
    if not slug and name and not name_gives_a_subdomain(name):
        problem = str(NO_SUBDOMAIN_FROM_NAME)
    elif not slug and name:
        slug = suggested = suggest_slug(name)
    if slug:
        problem = slug_problem(slug)
    return render(
        request,
        "onboarding/_slug_status.html",
        {"slug": slug, "problem": problem, "suggested": suggested},
    )


# --- one-time sign-in on the city's host -------------------------------------------------------


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


# --- partners on the control plane ------------------------------------------------------------


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
