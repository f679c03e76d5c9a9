"""Residents' page of this area: "complete your profile" (asked before a first action)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ratusz.accounts.models import User
from ratusz.consultations.people import selectors, services
from ratusz.consultations.people.forms.answers import ProfileAnswersForm


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


# --- complete your profile (residents) ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def complete_profile(request: HttpRequest) -> HttpResponse:
    """The city's questions, asked before a first action when a required answer is missing
    (and open any time to change the answers)."""
    user = request.user
    assert isinstance(user, User)
    next_url = _next_url(request, "/")
    form = ProfileAnswersForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.save_answers(user=user, answers=form.answers())
        messages.success(request, _("Thank you. Your answers are saved."))
        return redirect(next_url)
    return render(
        request,
        "backoffice/people/complete_profile.html",
        {
            "form": form,
            "next": next_url,
            "missing": selectors.missing_required_fields(user),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
