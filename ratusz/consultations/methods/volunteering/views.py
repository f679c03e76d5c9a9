"""Residents sign up for a cause and cancel; both answer with the project page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.consultations.core.http import city_of
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.volunteering import selectors, services


def _act(request: HttpRequest, cause_id: int, cancel: bool) -> HttpResponse:
    cause = selectors.cause_for(request.user, cause_id)
    if cause is None:
        raise Http404
    back = reverse("project", args=[cause.project.slug])
    title = translated(cause.title, city_of(request).default_language)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={back}")
    try:
        if cancel:
            services.cancel_sign_up(user=request.user, cause=cause)
            messages.success(
                request, _("You are no longer signed up for “%(title)s”.") % {"title": title}
            )
        else:
            services.sign_up(user=request.user, cause=cause)
            messages.success(
                request, _("Thank you! You signed up for “%(title)s”.") % {"title": title}
            )
    except (services.Refused, services.NotAllowed) as problem:
        messages.error(request, str(problem))
    return redirect(back)


@require_POST
def sign_up(request: HttpRequest, cause_id: int) -> HttpResponse:
    return _act(request, cause_id, cancel=False)


@require_POST
def cancel(request: HttpRequest, cause_id: int) -> HttpResponse:
    return _act(request, cause_id, cancel=True)
