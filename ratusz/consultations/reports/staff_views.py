"""The dashboard, its charts' CSV, and exports (ask, follow the progress, download)."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ratusz.accounts.models import User
from ratusz.accounts.rules import is_administrator
from ratusz.consultations.core.access import managed_projects, staff_required
from ratusz.consultations.core.charts import svg
from ratusz.consultations.core.export_files import write_csv
from ratusz.consultations.core.models import Project
from ratusz.consultations.reports import registry, selectors, services
from ratusz.consultations.reports.dashboard import (
    build_dashboard,
    chart_csv_rows,
    format_duration,
    format_share,
    today_in,
)
from ratusz.consultations.reports.forms import DEFAULT_DAYS, DashboardFilterForm, ExportForm
from ratusz.consultations.reports.models import Export, ExportStatus
from ratusz.tenants.context import CityRef

# HTMX stops polling when a response has this status.
HTMX_STOP_POLLING = 286


def _staff(request: HttpRequest) -> User:
    return cast(User, request.user)  # staff_required let only staff accounts through


def _city(request: HttpRequest) -> CityRef:
    return cast(CityRef, request.city)  # type: ignore[attr-defined]  # set by the city router


def _projects(request: HttpRequest) -> list[Project]:
    return list(managed_projects(_staff(request)).order_by("position", "pk"))


def _filters(request: HttpRequest) -> DashboardFilterForm:
    city = _city(request)
    today = today_in(city.time_zone, timezone.now())
    data = request.GET.copy()
    if not data.get("start") and not data.get("end"):
        # Show the default period in the date fields (and in the CSV links).
        data["end"] = today.isoformat()
        data["start"] = (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat()
    return DashboardFilterForm(
        data,
        projects=_projects(request),
        today=today,
        default_language=city.default_language,
    )


@require_GET
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    context: dict[str, object] = {"form": form}
    status = 200
    if form.is_valid():
        city = _city(request)
        board = build_dashboard(
            user=_staff(request),
            project=form.cleaned_data["project"],
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            interval=form.cleaned_data["interval"],
            time_zone=city.time_zone,
            default_language=city.default_language,
        )
        total = board.feedback.total
        context.update(
            board=board,
            participation_charts=[
                {"chart": c, "svg": svg(c)}
                for c in board.charts
                if c.key in {s.key for s in board.participation.series}
            ],
            feedback_charts=[
                {"chart": c, "svg": svg(c)}
                for c in board.charts
                if c.key in ("statuses", "answered")
            ],
            who_takes_part=[
                {"chart": c, "svg": svg(c)} for c in board.charts if c.key.startswith("field-")
            ],
            query=form.data.urlencode(),  # type: ignore[attr-defined]  # a QueryDict (see _filters)
            answered_share=format_share(selectors.answered_share(total)),
            median_answer=format_duration(total.median_time_to_answer),
            project_feedback=[
                {
                    "title": p.title,
                    "figures": p.figures,
                    "share": format_share(selectors.answered_share(p.figures)),
                    "median": format_duration(p.figures.median_time_to_answer),
                }
                for p in board.feedback.projects
            ],
        )
    else:
        status = 400
    return render(request, "backoffice/reports/dashboard.html", context, status=status)


@require_GET
@staff_required
def chart_csv(request: HttpRequest, key: str) -> HttpResponse:
    """One chart's data as CSV, for the same filters as the page."""
    form = _filters(request)
    if not form.is_valid():
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    city = _city(request)
    board = build_dashboard(
        user=_staff(request),
        project=form.cleaned_data["project"],
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        interval=form.cleaned_data["interval"],
        time_zone=city.time_zone,
        default_language=city.default_language,
    )
    chart = board.chart(key)
    if chart is None:
        raise Http404
    rows = chart_csv_rows(chart)
    content, _count = write_csv(headers=rows[0], rows=rows[1:])
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{key}-{board.start.isoformat()}-{board.end.isoformat()}.csv"'
    )
    return response


def _export_form(request: HttpRequest, data: object = None) -> ExportForm:
    return ExportForm(
        data,
        projects=_projects(request),
        administrator=is_administrator(request.user),
        default_language=_city(request).default_language,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def exports(request: HttpRequest) -> HttpResponse:
    """Ask for an export, and the list of one's own exports."""
    user = _staff(request)
    if request.method == "POST":
        form = _export_form(request, request.POST)
        if form.is_valid():
            try:
                export = services.request_export(
                    requested_by=user,
                    kind=form.cleaned_data["kind"],
                    file_format=form.cleaned_data["file_format"],
                    project=form.cleaned_data["project"],
                )
            except services.ExportRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("Your export is being prepared."))
                return redirect("backoffice:export", pk=export.pk)
        status = 400
    else:
        form = _export_form(request)
        status = 200
    return render(
        request,
        "backoffice/reports/exports.html",
        {
            "form": form,
            "exports": _rows(selectors.exports_of(user)[:50]),
            "now": timezone.now(),
        },
        status=status,
    )


def _rows(exports: object) -> list[dict[str, object]]:
    now = timezone.now()
    rows = []
    for export in exports:  # type: ignore[attr-defined]  # a queryset of Export
        dataset = registry.dataset(export.kind)
        rows.append(
            {
                "export": export,
                "label": dataset.label if dataset else export.kind,
                "expired": export.expires_at <= now,
            }
        )
    return rows


def _own_export(request: HttpRequest, pk: int) -> Export:
    export = selectors.export_for(_staff(request), pk)
    if export is None:
        raise Http404
    return export


def _progress_context(export: Export) -> dict[str, object]:
    dataset = registry.dataset(export.kind)
    return {
        "export": export,
        "label": dataset.label if dataset else export.kind,
        "pending": export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING),
        "expired": export.expires_at <= timezone.now(),
    }


@require_GET
@staff_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The export's progress; refreshes itself (meta refresh, or HTMX polling) until done."""
    export = _own_export(request, pk)
    return render(request, "backoffice/reports/export.html", _progress_context(export))


@require_GET
@staff_required
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment HTMX polls; answers 286 (stop polling) once the export ended."""
    export = _own_export(request, pk)
    context = _progress_context(export)
    response = render(request, "backoffice/reports/_export_status.html", context)
    if not context["pending"]:
        response.status_code = HTMX_STOP_POLLING if request.headers.get("HX-Request") else 200
    return response


@require_GET
@staff_required
def export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    export = _own_export(request, pk)
    if export.status != ExportStatus.DONE:
        return redirect(reverse("backoffice:export", kwargs={"pk": export.pk}))
    if export.expires_at <= timezone.now() or not export.file:
        return render(
            request,
            "backoffice/reports/export_expired.html",
            _progress_context(export),
            status=410,
        )
    name = export.file.name
    if not default_storage.exists(name):
        return render(
            request,
            "backoffice/reports/export_expired.html",
            _progress_context(export),
            status=410,
        )
    content_type = (
        "text/csv; charset=utf-8"
        if export.file_format == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=name.rsplit("/", 1)[-1],
        content_type=content_type,
    )
