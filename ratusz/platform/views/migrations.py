"""Fleet migrations: the runs, starting one, retrying a city."""

from __future__ import annotations

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.errors import refusal_message
from ratusz.platform import services
from ratusz.platform.access import operator_required
from ratusz.platform.audit import Actor
from ratusz.platform.models import FleetMigration, FleetMigrationCity, RunStatus


@operator_required
def migrations_view(request: HttpRequest) -> HttpResponse:
    run = FleetMigration.objects.first()
    rows = list(run.cities.all()) if run else []
    counts = {status: sum(1 for r in rows if r.status == status) for status in RunStatus.values}
    return render(
        request,
        "platform/migrations.html",
        {
            "run": run,
            "failed": [r for r in rows if r.status == RunStatus.FAILED],
            "counts": counts,
            "total": len(rows),
        },
    )


@operator_required
@require_POST
def start_migrations_view(request: HttpRequest) -> HttpResponse:
    try:
        services.start_fleet_migration(actor=Actor.from_request(request))
    except services.ActionRefused as refused:
        refusal_message(request, refused)
    else:
        messages.success(request, _("The fleet migration has been queued."))
    return redirect("platform:migrations")


@operator_required
@require_POST
def retry_migration_view(request: HttpRequest, row_id: int) -> HttpResponse:
    row = get_object_or_404(FleetMigrationCity, pk=row_id)
    try:
        services.retry_city_migration(actor=Actor.from_request(request), row=row)
    except services.ActionRefused as refused:
        refusal_message(request, refused)
    else:
        messages.success(request, _("The city's migration has been queued again."))
    return redirect("platform:migrations")
