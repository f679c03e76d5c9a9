"""The back office's own pages (its home); each area has its views in its own module."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ratusz.consultations.backoffice.access import managed_projects, staff_required


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    projects = managed_projects(request.user).prefetch_related("phases")  # type: ignore[arg-type]  # staff_required: a User
    return render(request, "backoffice/home.html", {"projects": projects})
