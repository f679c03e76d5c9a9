"""The fleet overview and the audit log (on screen and as CSV)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render

from ratusz.platform import selectors
from ratusz.platform.access import operator_required
from ratusz.platform.forms import (
    FleetFilterForm,
)
from ratusz.spreadsheets import SafeCSVWriter


@operator_required
def fleet_view(request: HttpRequest) -> HttpResponse:
    form = FleetFilterForm(request.GET or None)
    filters = selectors.FleetFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.FleetFilters(
            q=data["q"],
            status=data["status"],
            plan=data["plan"],
            country=data["country"],
            language=data["language"],
            active_within_days=data["active_within_days"],
            partner=data["partner"].pk if data["partner"] else None,
            sort=data["sort"] or "name",
        )
    page = selectors.fleet_page(filters, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "platform/fleet.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "choices": selectors.fleet_choices(),
        },
    )


@operator_required
def audit_view(request: HttpRequest) -> HttpResponseBase:
    params = {key: request.GET.get(key, "").strip() for key in ("q", "action", "city", "actor")}
    entries = selectors.audit_entries(**params)
    if request.GET.get("format") == "csv":
        return _audit_csv(entries)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "platform/audit.html", {"page": page, "params": params, "query": query.urlencode()}
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _audit_csv(entries: Any) -> StreamingHttpResponse:
    writer = SafeCSVWriter(_Echo())
    header = ["when", "operator", "ip", "city_id", "city", "action", "reason", "before", "after"]

    def rows() -> Any:
        yield writer.writerow(header)
        for e in entries.iterator(chunk_size=1000):
            yield writer.writerow(
                [
                    e.created_at.isoformat(),
                    e.actor_email,
                    e.ip_address or "",
                    e.city_id or "",
                    e.city_slug,
                    e.action,
                    e.reason,
                    e.before,
                    e.after,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response
