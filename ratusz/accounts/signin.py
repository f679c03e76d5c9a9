"""The one way a person becomes signed in, whatever the door (ARCHITECTURE.md §10).

Password doors (a city's sign-in, the console's, the partners') are django-allauth's login
view; the other doors (one-time links, invitations, the operators' support entry) call
`sign_in`. Both end in allauth's login flow, whose stages ask for the second factor of anyone
who has one set up, and both count failed attempts against the same kind of limit. Pages that
need the second factor (the console, a city's back office when the city requires it) ask
`second_factor_used` whether this session's sign-in included it: having an authenticator set up
is not enough, it must have been used.
"""

from __future__ import annotations

import hashlib
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.authentication import get_authentication_records

# allauth's own login flow (stages: the second factor, e-mail verification) and its record of
# how this session authenticated; internal modules of the pinned allauth, no public equivalent.
from allauth.account.internal.flows.login import perform_login, record_authentication
from allauth.account.models import Login
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from ratusz.accounts.doors import BY_KEY, Door
from ratusz.accounts.models import User
from ratusz.counters import count, peek

# Failed attempts at a token door (a wrong or used-up link) from one network, per window: the
# same budget allauth gives failed passwords per address (ACCOUNT_RATE_LIMITS "login_failed").
FAILED_ATTEMPTS_PER_IP = 10
WINDOW_SECONDS = 5 * 60


def sign_in(
    request: HttpRequest, *, user: User, door: Door, redirect_url: str = "/"
) -> HttpResponse:
    """Sign `user` in through `door`. Answers with where the browser goes next: the page after
    sign-in, or the second-factor step when the account has an authenticator."""
    if request.user.is_authenticated and request.user.pk != user.pk:
        # Another account of this browser: Django's login would empty the session after the
        # record below was written; start the new account's session clean instead.
        logout(request)
    extra: dict[str, Any] = {"door": door.key}
    if door.vouches_second_factor:
        # Only reachable from a session that used its second factor (see Door).
        extra["second_factor"] = door.key
    record_authentication(request, user, method=door.method, **extra)
    return perform_login(request, Login(user=user, redirect_url=redirect_url))


def second_factor_used(request: HttpRequest, user: Any) -> bool:
    """Whether the sign-in of this session included a second factor (a code from the
    authenticator app or a recovery code), or came through a door that vouches for one."""
    if not isinstance(user, User):
        return False
    return any(
        record.get("method") == "mfa" or record.get("second_factor")
        for record in get_authentication_records(request, user)
    )


def door_of_this_sign_in(request: HttpRequest, user: Any) -> Door | None:
    """The door of the latest sign-in of this session, when it was one of `sign_in`'s."""
    if not isinstance(user, User):
        return None
    for record in reversed(get_authentication_records(request, user)):
        if record.get("method") != "mfa":
            return BY_KEY.get(str(record.get("door", "")))
    return None


def _ip_key(request: HttpRequest) -> str:
    ip = get_adapter().get_client_ip(request)
    return "accounts:door-failures:" + hashlib.sha256(ip.encode()).hexdigest()


def too_many_failures(request: HttpRequest) -> bool:
    """Whether this network used up its failed attempts at the token doors (checked before the
    token, so that a right token after many wrong ones is refused too)."""
    return peek(_ip_key(request)) >= FAILED_ATTEMPTS_PER_IP


def count_failure(request: HttpRequest) -> None:
    count(_ip_key(request), WINDOW_SECONDS)
