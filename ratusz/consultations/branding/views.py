"""The branding area's two resident-facing pages: a city page and dismissing the cookie notice."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ratusz.consultations.branding import selectors
from ratusz.consultations.branding.context_processors import COOKIE_NOTICE_COOKIE

COOKIE_MAX_AGE = 365 * 24 * 3600

# --- Resident pages ------------------------------------------------------------------------


def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.published_page(slug)
    if page is None:
        raise Http404
    return render(request, "branding/page.html", {"page": page})


@require_POST
def dismiss_cookie_notice(request: HttpRequest) -> HttpResponse:
    """Works without JavaScript: a form posts here and comes back to where it was."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        COOKIE_NOTICE_COOKIE,
        "1",
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure(),
    )
    return response
