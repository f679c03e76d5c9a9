"""Announcements shown on the cities' portals."""

from __future__ import annotations

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.errors import refusal_to_form
from ratusz.platform import services
from ratusz.platform.access import operator_required
from ratusz.platform.audit import Actor
from ratusz.platform.forms import (
    AnnouncementForm,
)
from ratusz.tenants.models import Announcement, City


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
            refusal_to_form(form, refused)
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
