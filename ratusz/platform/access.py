"""Who may use the console: operators of the control plane, signed in with their second factor."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ratusz.accounts.models import Role, User
from ratusz.accounts.rules import has_two_factor, second_factor_refusal

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def is_operator(user: Any) -> bool:
    return (
        isinstance(user, User)
        and user.is_authenticated
        and user.is_active
        and user.role == Role.OPERATOR
    )


def operator_required(view: View) -> View:
    """Console pages: control plane only, operators only, and only when this session's sign-in
    used the second factor (an operator without one is sent to set it up; having one set up is
    not enough, it must have been used: see ratusz.accounts.signin)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request, "city", None) is not None:
            raise Http404  # the console exists on the control plane only
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_operator(user):
            raise PermissionDenied
        if not has_two_factor(user):
            messages.warning(
                request,
                _(
                    "Operators must use two-factor authentication. Set up an authenticator "
                    "app to continue."
                ),
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        refusal = second_factor_refusal(request)
        if refusal is not None:
            return refusal
        return view(request, *args, **kwargs)

    return cast(View, wrapped)
