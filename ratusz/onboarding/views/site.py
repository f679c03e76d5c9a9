"""The public site of the control plane: the landing page and the pricing."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ratusz.billing.plans import PLANS, Currency, Interval
from ratusz.onboarding.city_templates import available_templates


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
