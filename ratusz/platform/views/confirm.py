"""A confirmed action on a city: the form, one service call, the refusal or the way back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render

from ratusz.errors import Refused, refusal_to_form
from ratusz.platform.audit import Actor
from ratusz.tenants.models import City


def city_action(
    request: HttpRequest,
    city: City,
    form: Any,
    *,
    label: str,
    explanation: str,
    perform: Callable[[Actor, Any], Any],
    done: str,
) -> HttpResponse:
    """Validate `form`, then `perform` the action: one service call, which saves the change
    and its audit entry together; a refusal is shown next to the form and nothing is saved."""
    if request.method == "POST" and form.is_valid():
        try:
            perform(Actor.from_request(request), form)
        except Refused as refused:
            refusal_to_form(form, refused)
        else:
            messages.success(request, done)
            return redirect("platform:city", slug=city.slug)
    return render(
        request,
        "platform/city_action.html",
        {"city_row": city, "form": form, "label": label, "explanation": explanation},
        status=400 if form.errors else 200,
    )


def posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None
