"""Once a city's trial ended unpaid, its back office shows only the billing pages.

Add `ratusz.billing.middleware.TrialEndedMiddleware` after the authentication middleware.
Residents keep seeing the portal; staff are sent to choose a plan.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from ratusz.billing.selectors import billing_blocked
from ratusz.tenants.models import CityStatus

# Paths staff may still open: billing itself, and signing in or out.
ALWAYS_OPEN = ("/admin/billing/", "/accounts/")


class TrialEndedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        city = getattr(request, "city", None)
        if (
            city is not None
            # Only a city in its trial can be blocked: the routed city says so without a query.
            and city.status == CityStatus.TRIAL
            and request.path.startswith("/admin/")
            and not request.path.startswith(ALWAYS_OPEN)
            and billing_blocked(city.id)
        ):
            # The city's URLconf is set on the request by the routing middleware; reverse with it.
            overview = reverse("billing:overview", urlconf=getattr(request, "urlconf", None))
            return HttpResponseRedirect(overview)
        return self.get_response(request)
