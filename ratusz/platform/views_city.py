"""The support entry link, opened on the city's host (a one-time sign-in)."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ratusz.tenants.support import SupportAccessRefused, enter_with_grant


def enter_view(request: HttpRequest, token: str) -> HttpResponse:
    city = getattr(request, "city", None)
    if city is None:
        raise Http404
    if request.method != "POST":
        # A link preview (mail scanners, chat apps) must not use the one-time link up.
        return render(request, "platform/support_enter.html", {"token": token})
    try:
        user, grant = enter_with_grant(city_id=city.id, token=token)
    except SupportAccessRefused as refused:
        return render(request, "platform/support_enter.html", {"error": str(refused)}, status=403)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # The session ends with the grant, whatever the usual session length.
    request.session.set_expiry(max(1, int((grant.expires_at - timezone.now()).total_seconds())))
    return redirect("/admin/")
