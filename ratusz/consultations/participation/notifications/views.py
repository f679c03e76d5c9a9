"""The notifications page, marking read, e-mail preferences and the unsubscribe landing page.

Everything works as plain forms and links; with HTMX, marking read and loading older
notifications swap only the part of the page that changed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ratusz.accounts.models import User
from ratusz.consultations.participation.notifications import selectors, services
from ratusz.consultations.participation.notifications.city_emails import city_emails
from ratusz.consultations.participation.notifications.describe import (
    Description,
    describe,
    masked_email,
)
from ratusz.consultations.participation.notifications.forms import PreferenceForm
from ratusz.consultations.participation.notifications.models import Notification

PAGE_SIZE = 30


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the views below require a signed-in person
    return user


def _default_language(request: HttpRequest) -> str:
    return str(request.city.default_language)  # type: ignore[attr-defined]  # set by routing


def _entries(request: HttpRequest, page: Page[Notification]) -> list[Description]:
    language = _default_language(request)
    return [describe(n, default_language=language) for n in page.object_list]


def _page_number(request: HttpRequest) -> str:
    value = request.POST.get("page") or request.GET.get("page") or "1"
    return value if value.isdigit() else "1"


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(selectors.inbox(user), PAGE_SIZE).get_page(_page_number(request))
    context: dict[str, Any] = {
        "page": page,
        "entries": _entries(request, page),
        "unread": selectors.unread_count(user),
    }
    if request.htmx and request.GET.get("page"):  # type: ignore[attr-defined]  # django-htmx
        return render(request, "notifications/includes/entries.html", context)
    return render(request, "notifications/list.html", context)


def _back_to_list(request: HttpRequest, anchor: str = "") -> HttpResponseRedirect:
    page = _page_number(request)
    query = f"?page={page}" if page != "1" else ""
    return HttpResponseRedirect(reverse("notifications:list") + query + anchor)


@login_required
@require_POST
def mark_read_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    user = _user(request)
    try:
        services.mark_read(user=user, notification_id=notification_id)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    if request.htmx:  # type: ignore[attr-defined]  # django-htmx
        notification = selectors.inbox(user).get(pk=notification_id)
        entry = describe(notification, default_language=_default_language(request))
        return render(
            request,
            "notifications/includes/entry_read.html",
            {"entry": entry, "unread": selectors.unread_count(user), "page_number": 1},
        )
    messages.success(request, _("The notification is marked as read."))
    return _back_to_list(request, f"#notification-{notification_id}")


@login_required
@require_POST
def mark_all_read_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    services.mark_all_read(user=user)
    if request.htmx:  # type: ignore[attr-defined]  # django-htmx
        page = Paginator(selectors.inbox(user), PAGE_SIZE).get_page(_page_number(request))
        return render(
            request,
            "notifications/includes/inbox.html",
            {"page": page, "entries": _entries(request, page), "unread": 0, "announce": True},
        )
    messages.success(request, _("All notifications are marked as read."))
    return _back_to_list(request)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.set_frequency(user=user, frequency=form.cleaned_data["frequency"])
            city_emails().set_city_news_wanted(user=user, wanted=form.cleaned_data["campaigns"])
            messages.success(request, _("Your e-mail preferences are saved."))
            return redirect("notifications:preferences")
    else:
        form = PreferenceForm(
            initial={
                "frequency": selectors.frequency_of(user),
                "campaigns": city_emails().wants_city_news(user),
            }
        )
    return render(request, "notifications/preferences.html", {"form": form})


# Exempt from CSRF: mail providers confirm a one-click unsubscribe (RFC 8058) with a POST of
# their own, and the signed token in the address is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            account = services.unsubscribe(token=token)
        except services.InvalidUnsubscribeLink:
            return render(request, "notifications/unsubscribe_invalid.html", status=400)
        template = "notifications/unsubscribe_done.html"
    else:
        found = selectors.unsubscribing_account(token)
        if found is None:
            return render(request, "notifications/unsubscribe_invalid.html", status=400)
        account, template = found, "notifications/unsubscribe.html"
    return render(request, template, {"address": masked_email(account.email)})
