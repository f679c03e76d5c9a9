from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ratusz.consultations.selectors import portal_welcome


def home(request: HttpRequest) -> HttpResponse:
    city = request.city  # type: ignore[attr-defined]  # set by CityRoutingMiddleware
    welcome = portal_welcome(default_language=city.default_language)
    return render(request, "consultations/home.html", {"welcome": welcome})
