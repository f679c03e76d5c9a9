"""The back office's own pages (its home); each area has its views in its own module."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ratusz.accounts.rules import is_administrator
from ratusz.consultations.backoffice.access import managed_projects, staff_required
from ratusz.tenants.support import support_visits


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    projects = managed_projects(request.user).prefetch_related("phases")  # type: ignore[arg-type]  # staff_required: a User
    return render(request, "backoffice/home.html", {"projects": projects})


@staff_required
def audit(request: HttpRequest) -> HttpResponse:
    """Every time an operator of the service entered this city's back office, and why."""
    if not is_administrator(request.user):
        raise PermissionDenied
    visits = support_visits(request.city.id)  # type: ignore[attr-defined]  # set by routing
    return render(request, "backoffice/audit.html", {"visits": visits})
