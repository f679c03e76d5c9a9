"""Keeps a person who signed in after the city published a new version of its terms or
privacy policy on the consent page until they accept it (or sign out, download their data or
delete their account, which stay open to them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from ratusz.accounts import rules
from ratusz.accounts.adapter import POLICIES_PENDING_SESSION_KEY, consent_url

Handler = Callable[[HttpRequest], HttpResponse]

# URL names (namespace:name) a person may reach with a policy still to accept.
ALWAYS_OPEN = frozenset(
    {
        "accounts:consent",
        "accounts:data",
        "accounts:delete",
        "account_logout",
        "set_language",
        # One-click unsubscribe from notification e-mails must work whatever else is pending.
        "notifications:unsubscribe",
    }
)


class PolicyConsentMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if getattr(request, "city", None) is None or not hasattr(request, "session"):
            return None
        if not request.session.get(POLICIES_PENDING_SESSION_KEY):
            return None
        if not request.user.is_authenticated:
            request.session.pop(POLICIES_PENDING_SESSION_KEY, None)
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALWAYS_OPEN:
            return None
        next_url = request.get_full_path() if request.method == "GET" else "/"
        return HttpResponseRedirect(consent_url(next_url))


class StaffPowersMiddleware:
    """Withholds the staff powers of a person whose session does not meet the city's rule for
    staff (two factors required, and not used in this session): for this request they act as a
    resident on every page (ratusz.accounts.rules), while the back office's own check still
    sends them to set up or enter the second factor. After authentication and the city's
    lifecycle gate, which read the bare role (a staff member must reach the second-factor step
    of a closed or suspended city)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, "city", None) is not None and rules.second_factor_pending(request):
            rules.withhold_staff_powers(request.user)
        return self.get_response(request)
