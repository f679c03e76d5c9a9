"""The operator console: thin views that parse, authorise, call one service, render."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ratusz.platform import selectors, services
from ratusz.platform.access import operator_required
from ratusz.platform.audit import Actor
from ratusz.platform.forms import (
    AnnouncementForm,
    ConfirmForm,
    EntitlementsForm,
    FleetFilterForm,
    RenameForm,
    RestoreForm,
    SupportForm,
)
from ratusz.platform.models import CityExport, FleetMigration, FleetMigrationCity, RunStatus
from ratusz.platform.usage import city_usage
from ratusz.tenants.models import Announcement, City, Domain
from ratusz.tenants.slugs import SlugRefused
from ratusz.tenants.support import SupportAccessRefused


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
    writer = csv.writer(_Echo())
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


@operator_required
def city_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    context: dict[str, Any] = {"city_row": city, **selectors.city_record(city)}
    try:
        context["usage"] = city_usage(city)
    except Exception:  # a city whose schema is broken still shows its page
        context["usage"] = None
    context["entitlements_form"] = EntitlementsForm(city=city)
    context["support_form"] = SupportForm()
    return render(request, "platform/city.html", context)


# --- Lifecycle actions: a confirmation page, then the action --------------------------------

Action = Callable[..., Any]

ACTIONS: dict[str, tuple[Action, Any, Any]] = {
    "suspend": (
        services.suspend_city,
        gettext_lazy("Suspend"),
        gettext_lazy("The portal closes at once for residents and staff."),
    ),
    "reactivate": (
        services.reactivate_city,
        gettext_lazy("Reactivate"),
        gettext_lazy("The portal opens again."),
    ),
    "archive": (
        services.archive_city,
        gettext_lazy("Archive"),
        gettext_lazy("The portal becomes a read-only archive."),
    ),
    "delete": (
        services.delete_city,
        gettext_lazy("Delete"),
        gettext_lazy("The portal closes; the city is purged after 30 days unless restored."),
    ),
    "restore": (
        services.restore_city,
        gettext_lazy("Restore"),
        gettext_lazy("The deletion is cancelled; the city stays suspended."),
    ),
    "purge": (
        services.purge_deleted_city,
        gettext_lazy("Purge now"),
        gettext_lazy(
            "The city's data, files and domains are removed for good. This cannot be undone."
        ),
    ),
}


@operator_required
def lifecycle_view(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    service, label, explanation = ACTIONS[action]
    city = get_object_or_404(City, slug=slug)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(
                actor=Actor.from_request(request), city=city, reason=form.cleaned_data["reason"]
            )
        except services.ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, _("Done: %(action)s %(city)s.") % {"action": label, "city": city.name}
            )
            if action == "purge":
                return redirect("platform:fleet")
            return redirect("platform:city", slug=city.slug)
    return render(
        request,
        "platform/confirm.html",
        {"city_row": city, "form": form, "label": label, "explanation": explanation},
        status=400 if form.errors else 200,
    )


@operator_required
def rename_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = RenameForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            renamed = services.rename_city(
                actor=Actor.from_request(request),
                city=city,
                slug=form.cleaned_data["slug"],
                reason=form.cleaned_data["reason"],
            )
        except SlugRefused as refused:
            form.add_error("slug", refused.reason)
        else:
            messages.success(request, _("The city now answers on its new subdomain."))
            return redirect("platform:city", slug=renamed.slug)
    return render(
        request,
        "platform/confirm.html",
        {
            "city_row": city,
            "form": form,
            "label": _("Rename the subdomain"),
            "explanation": _("The old subdomain will redirect to the new one."),
        },
        status=400 if form.errors else 200,
    )


@operator_required
def remove_domain_view(request: HttpRequest, slug: str, domain_id: int) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    domain = get_object_or_404(Domain, pk=domain_id, tenant=city)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_city_domain(
                actor=Actor.from_request(request), domain=domain, reason=form.cleaned_data["reason"]
            )
        except services.ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The domain was removed."))
            return redirect("platform:city", slug=city.slug)
    return render(
        request,
        "platform/confirm.html",
        {
            "city_row": city,
            "form": form,
            "label": _("Remove the domain %(domain)s") % {"domain": domain.domain},
            "explanation": _("The city stops answering on this address."),
        },
        status=400 if form.errors else 200,
    )


@operator_required
def entitlements_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = EntitlementsForm(request.POST if request.method == "POST" else None, city=city)
    if request.method == "POST" and form.is_valid():
        services.change_entitlements(
            actor=Actor.from_request(request),
            city=city,
            plan=form.cleaned_data["plan"],
            limits=form.limits(),
            features=form.features(),
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("The plan, limits and features were saved."))
        return redirect("platform:city", slug=city.slug)
    return render(
        request,
        "platform/entitlements.html",
        {"city_row": city, "form": form},
        status=400 if form.errors else 200,
    )


@operator_required
def support_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = SupportForm(request.POST if request.method == "POST" else None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.grant_support(
                actor=Actor.from_request(request),
                city=city,
                reason=form.cleaned_data["reason"],
                duration=timedelta(minutes=form.cleaned_data["minutes"]),
            )
        except (SupportAccessRefused, services.ActionRefused) as refused:
            form.add_error(None, str(refused))
    return render(
        request,
        "platform/support.html",
        {"city_row": city, "form": form, "issued": issued},
        status=400 if form.errors else 200,
    )


# --- Fleet migrations ------------------------------------------------------------------------


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
        messages.error(request, str(refused))
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
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The city's migration has been queued again."))
    return redirect("platform:migrations")


# --- Announcements -------------------------------------------------------------------------


@operator_required
def announcements_view(request: HttpRequest) -> HttpResponse:
    form = AnnouncementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        city_ids = None
        if form.is_filtered():
            cities = City.objects.filter(deleted_at__isnull=True)
            if data["status"]:
                cities = cities.filter(status=data["status"])
            if data["country"]:
                cities = cities.filter(country=data["country"].upper())
            if data["plan"]:
                cities = cities.filter(plan=data["plan"])
            city_ids = list(cities.values_list("pk", flat=True))
        starts_at, ends_at = form.window()
        try:
            services.broadcast_announcement(
                actor=Actor.from_request(request),
                message={"pl": data["message_pl"], "en": data["message_en"]},
                level=data["level"],
                starts_at=starts_at,
                ends_at=ends_at,
                city_ids=city_ids,
            )
        except services.ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The announcement is shown on the chosen portals."))
            return redirect("platform:announcements")
    return render(
        request,
        "platform/announcements.html",
        {"form": form, "announcements": Announcement.objects.all()[:50], "now": timezone.now()},
        status=400 if form.errors else 200,
    )


@operator_required
@require_POST
def withdraw_announcement_view(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_object_or_404(Announcement, pk=pk)
    services.withdraw_announcement(actor=Actor.from_request(request), announcement=announcement)
    messages.success(request, _("The announcement was withdrawn."))
    return redirect("platform:announcements")


# --- Exports -------------------------------------------------------------------------------


@operator_required
@require_POST
def export_view(request: HttpRequest, slug: str) -> HttpResponse:
    from ratusz.platform.archive import request_export

    city = get_object_or_404(City, slug=slug)
    request_export(actor=Actor.from_request(request), city=city)
    messages.success(request, _("The export has been queued; it appears on this page when ready."))
    return redirect("platform:city", slug=city.slug)


@operator_required
def download_export_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    from ratusz.platform.archive import export_file

    export = get_object_or_404(CityExport, pk=pk)
    path = export_file(export)
    if path is None:
        raise Http404(_("This export is not available (not ready, or expired)."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@operator_required
def restore_view(request: HttpRequest) -> HttpResponse:
    from ratusz.platform.archive import ArchiveRefused, restore_export

    form = RestoreForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            city = restore_export(
                actor=Actor.from_request(request),
                archive=form.cleaned_data["archive"],
                slug=form.cleaned_data["slug"],
                name=form.cleaned_data["name"],
            )
        except ArchiveRefused as refused:
            form.add_error("archive", str(refused))
        except SlugRefused as refused:
            form.add_error("slug", refused.reason)
        else:
            messages.success(request, _("The city was restored from the archive."))
            return redirect("platform:city", slug=city.slug)
    return render(
        request, "platform/restore.html", {"form": form}, status=400 if form.errors else 200
    )
