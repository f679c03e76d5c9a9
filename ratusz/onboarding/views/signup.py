"""The sign-up wizard (control plane): a city signs up, its subdomain checked as it is typed."""

from __future__ import annotations

import hashlib
import ipaddress
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ratusz.accounts.models import User
from ratusz.billing.plans import PLANS
from ratusz.onboarding import services, throttling
from ratusz.onboarding.city_templates import available_templates
from ratusz.onboarding.forms import (
    NO_SUBDOMAIN_FROM_NAME,
    SignupForm,
    name_gives_a_subdomain,
    slug_problem,
)
from ratusz.tenants.slugs import suggest_slug


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
