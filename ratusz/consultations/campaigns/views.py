"""The public one-click page that stops campaigns (no sign-in: the signed token decides)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ratusz.accounts.models import User
from ratusz.consultations.campaigns import services
from ratusz.consultations.campaigns.unsubscribe import read_token
from ratusz.consultations.participation.notifications.describe import masked_email


# Exempt from CSRF: mail providers confirm a one-click unsubscribe (RFC 8058) with a POST of
# their own, and the signed token in the address is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            account = services.opt_out(token=token)
        except services.InvalidUnsubscribeLink:
            return render(request, "backoffice/campaigns/unsubscribe_invalid.html", status=400)
        template = "backoffice/campaigns/unsubscribe_done.html"
    else:
        user_id = read_token(token)
        found = User.objects.filter(pk=user_id).first() if user_id is not None else None
        if found is None:
            return render(request, "backoffice/campaigns/unsubscribe_invalid.html", status=400)
        account, template = found, "backoffice/campaigns/unsubscribe.html"
    return render(request, template, {"address": masked_email(account.email)})
