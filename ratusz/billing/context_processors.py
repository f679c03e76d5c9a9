from __future__ import annotations

from django.http import HttpRequest

from ratusz.accounts.rules import is_administrator
from ratusz.billing.selectors import billing_banner


def billing(request: HttpRequest) -> dict[str, object]:
    """The billing banner (overdue payment, trial ending), for a city's administrators only."""
    city = getattr(request, "city", None)
    if city is None or not request.path.startswith("/admin/") or not is_administrator(request.user):
        return {}
    return {"billing_banner": billing_banner(city.id)}
