"""The support entry link, opened on the city's host (a one-time sign-in)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from ratusz.accounts.doors import BY_KEY
from ratusz.accounts.signin import count_failure, sign_in, too_many_failures
from ratusz.accounts.views import too_many_attempts
from ratusz.tenants.support import SupportAccessRefused, WrongSupportCode, enter_with_grant


@never_cache
@sensitive_post_parameters("code")
def enter_view(request: HttpRequest, token: str) -> HttpResponse:
    city = getattr(request, "city", None)
    if city is None:
        raise Http404
    if too_many_failures(request):
        return too_many_attempts(request)
    if request.method != "POST":
        # A link preview (mail scanners, chat apps) must not use the one-time link up.
        return render(request, "platform/support_enter.html", {"token": token})
    try:
        user, grant = enter_with_grant(
            city_id=city.id, token=token, code=request.POST.get("code", "")
        )
    except SupportAccessRefused as refused:
        count_failure(request)
        # A wrong code is bad input (the form asks again); a link that cannot be used is refused.
        wrong_code = isinstance(refused, WrongSupportCode)
        return render(
            request,
            "platform/support_enter.html",
            {"error": str(refused), "ask_again": wrong_code},
            status=400 if wrong_code else 403,
        )
    # The grant was made by a console session that used its second factor (operator_required),
    # and its operator's code was just entered here: both factors, bound to that operator.
    response = sign_in(request, user=user, door=BY_KEY["support-entry"], redirect_url="/admin/")
    # The session ends with the grant, whatever the usual session length.
    request.session.set_expiry(max(1, int((grant.expires_at - timezone.now()).total_seconds())))
    return response
