"""A city's export (request, download) and a city restored from an archive."""

from __future__ import annotations

from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.errors import refusal_to_form
from ratusz.platform.access import operator_required
from ratusz.platform.archive import ArchiveRefused, export_file, request_export, restore_export
from ratusz.platform.audit import Actor
from ratusz.platform.forms import (
    RestoreForm,
)
from ratusz.platform.models import CityExport
from ratusz.tenants.models import City
from ratusz.tenants.slugs import SlugRefused


@operator_required
@require_POST
def export_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    request_export(actor=Actor.from_request(request), city=city)
    messages.success(request, _("The export has been queued; it appears on this page when ready."))
    return redirect("platform:city", slug=city.slug)


@operator_required
def download_export_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    export = get_object_or_404(CityExport, pk=pk)
    path = export_file(export)
    if path is None:
        raise Http404(_("This export is not available (not ready, or expired)."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@operator_required
def restore_view(request: HttpRequest) -> HttpResponse:
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
            refusal_to_form(form, refused, field="archive")
        except SlugRefused as refused:
            refusal_to_form(form, refused, field="slug")
        else:
            messages.success(request, _("The city was restored from the archive."))
            return redirect("platform:city", slug=city.slug)
    return render(
        request, "platform/restore.html", {"form": form}, status=400 if form.errors else 200
    )
