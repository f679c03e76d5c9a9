"""The back office's own pages (its home); each area has its views in its own module."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.accounts.rules import is_administrator
from ratusz.consultations.backoffice.forms import FeaturesForm
from ratusz.consultations.core.access import (
    administrator_required,
    managed_projects,
    staff_required,
)
from ratusz.consultations.core.features import feature_states, set_features_enabled
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


@administrator_required
def features(request: HttpRequest) -> HttpResponse:
    """The city's own switch of each feature its plan allows (and why the others are off)."""
    # The city's choice, like its plan: partner consultants do not make it.
    if not is_administrator(request.user):
        raise PermissionDenied
    form = FeaturesForm(request.POST or None, states=feature_states())
    if request.method == "POST" and form.is_valid():
        admin: User = request.user  # type: ignore[assignment]  # is_administrator: a User
        set_features_enabled(admin=admin, enabled=form.switches())
        messages.success(request, _("The features are saved."))
        return redirect("backoffice:features")
    return render(request, "backoffice/features.html", {"form": form})
