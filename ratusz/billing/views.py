"""Billing pages for a city's administrators (/admin/billing/ on the city's host) and the
Stripe webhook endpoint of the control plane."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

import stripe
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ratusz.accounts.rules import is_administrator, staff_required
from ratusz.billing import gateway, selectors, services
from ratusz.billing.forms import ChoosePlanForm, LegalDetailsForm
from ratusz.billing.plans import PLANS
from ratusz.errors import Refused, refusal_message, refusal_to_form
from ratusz.tenants.context import CityRef
from ratusz.tenants.models import City

logger = logging.getLogger(__name__)

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def administrators_only(view: View) -> View:
    """Staff sign-in rules first (staff_required), then administrators of this city only."""

    @staff_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_administrator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return cast(View, wrapped)


def _city(request: HttpRequest) -> City:
    ref: CityRef = request.city  # type: ignore[attr-defined]  # set by CityRoutingMiddleware
    return City.objects.get(pk=ref.id)


def _actor(request: HttpRequest) -> str:
    return str(getattr(request.user, "email", ""))


@administrators_only
def overview(request: HttpRequest) -> HttpResponse:
    city = _city(request)
    account = selectors.account_for(city.pk)
    plan = selectors.current_plan(account, city)
    form = ChoosePlanForm(
        initial={
            "plan": plan.code if plan else "standard",
            "currency": account.currency if account else ("PLN" if city.country == "PL" else "EUR"),
        }
    )
    return render(request, "billing/overview.html", _overview_context(request, city, form))


def _overview_context(request: HttpRequest, city: City, form: ChoosePlanForm) -> dict[str, Any]:
    account = selectors.account_for(city.pk)
    return {
        "account": account,
        "plan": selectors.current_plan(account, city),
        "plans": list(PLANS.values()),
        "banner": selectors.billing_banner(city.pk),
        "blocked": selectors.billing_blocked(city.pk),
        "trial_ends_at": selectors.trial_ends_at(city, account),
        "next_invoice": selectors.next_invoice(account),
        "invoices": selectors.city_invoices(city.pk)[:24],
        "form": form,
        "stripe_mode": gateway.stripe_enabled(),
        "portal_available": gateway.stripe_enabled()
        and bool(account and account.stripe_customer_id),
    }


@administrators_only
@require_POST
def choose_plan(request: HttpRequest) -> HttpResponse:
    city = _city(request)
    form = ChoosePlanForm(request.POST)
    if not form.is_valid():
        context = _overview_context(request, city, form)
        return render(request, "billing/overview.html", context, status=400)
    back = request.build_absolute_uri(reverse("billing:overview"))
    try:
        choice = services.choose_plan(
            city=city,
            plan_code=form.cleaned_data["plan"],
            interval=form.cleaned_data["interval"],
            currency=form.cleaned_data["currency"],
            method=form.cleaned_data["method"],
            success_url=back + "?checkout=done",
            cancel_url=back + "?checkout=cancelled",
            actor=_actor(request),
        )
    except Refused as refused:
        refusal_to_form(form, refused)
        context = _overview_context(request, city, form)
        return render(request, "billing/overview.html", context, status=400)
    if choice.redirect_url:
        return HttpResponseRedirect(choice.redirect_url)
    messages.success(request, choice.message)
    return redirect("billing:overview")


@administrators_only
def legal_details(request: HttpRequest) -> HttpResponse:
    city = _city(request)
    account = selectors.account_for(city.pk)
    if request.method == "POST":
        form = LegalDetailsForm(request.POST)
        if form.is_valid():
            try:
                services.save_legal_details(city=city, actor=_actor(request), **form.cleaned_data)
            except Refused as refused:
                refusal_to_form(form, refused)
            else:
                messages.success(request, _("The legal details are saved."))
                return redirect("billing:overview")
        status = 400
    else:
        initial = {
            name: getattr(account, name)
            for name in LegalDetailsForm.base_fields
            if account is not None and getattr(account, name)
        }
        initial.setdefault("country", city.country)
        form = LegalDetailsForm(initial=initial)
        status = 200
    return render(request, "billing/details.html", {"form": form}, status=status)


@administrators_only
@require_POST
def portal(request: HttpRequest) -> HttpResponse:
    city = _city(request)
    try:
        url = services.portal_url(
            city=city, return_url=request.build_absolute_uri(reverse("billing:overview"))
        )
    except Refused as refused:
        refusal_message(request, refused)
        return redirect("billing:overview")
    return HttpResponseRedirect(url)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Verify Stripe's signature, store the event once, and leave the work to a task."""
    secret = str(getattr(settings, "STRIPE_WEBHOOK_SECRET", "") or "")
    if not secret:
        return HttpResponseBadRequest("webhooks are not configured")
    try:
        stripe.Webhook.construct_event(
            request.body.decode("utf-8"), request.headers.get("Stripe-Signature"), secret
        )
    except (ValueError, UnicodeDecodeError, stripe.SignatureVerificationError):
        logger.warning("Stripe webhook refused: bad payload or signature")
        return HttpResponseBadRequest("invalid signature")
    event = json.loads(request.body)
    services.record_webhook_event(event=event)
    return HttpResponse("ok")
