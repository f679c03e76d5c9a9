"""Who may do what, as named predicates, and `staff_required` for the city's staff pages.

A staff page is decorated with `@staff_required` (or uses `StaffRequiredMixin`): a visitor is
sent to sign in, a resident gets 403, and when the city requires two-factor authentication for
staff, a staff member without it is sent to set it up before seeing the page, and one with it
must have used it to sign in this session.

The same rule holds outside the back office: until this session meets it, such a person has no
staff powers anywhere in the city. `StaffPowersMiddleware` marks the request's user
(`withhold_staff_powers`), and every role predicate here and in ratusz.consultations.core.rules then
answers as for a resident, so resident pages show no staff controls or staff-only data and
services refuse staff actions. Only `holds_backoffice_role` reads the bare role, for
`check_staff_access` to send the person to set up or enter the second factor.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ratusz.accounts import selectors
from ratusz.accounts.models import Role, User
from ratusz.accounts.signin import second_factor_used

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def _account(user: Any) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated and user.is_active else None


# Set on the request's user object for one request only (never stored): see the module doc.
# Templates read it as `user.staff_powers_withheld` (absent, hence false, for everyone else).
_WITHHELD_ATTRIBUTE = "staff_powers_withheld"


def withhold_staff_powers(user: Any) -> None:
    setattr(user, _WITHHELD_ATTRIBUTE, True)


def staff_powers_withheld(user: Any) -> bool:
    """Whether this request's user holds a staff role whose powers this session has not earned
    (the city requires a second factor for staff and it was not used)."""
    return bool(getattr(user, _WITHHELD_ATTRIBUTE, False))


def acting_role(user: Any) -> str | None:
    """The role the person acts in on this request: their role, or a resident's while their
    staff powers are withheld; None for a visitor or an inactive account."""
    account = _account(user)
    if account is None:
        return None
    if staff_powers_withheld(account) and account.role in selectors.BACKOFFICE_ROLES:
        return str(Role.RESIDENT)
    return str(account.role)


def holds_backoffice_role(user: Any) -> bool:
    """The bare role, powers in force or not: only for leading a person to the second factor."""
    account = _account(user)
    return account is not None and account.role in selectors.BACKOFFICE_ROLES


def is_city_staff(user: Any) -> bool:
    """Administrators, project managers, and partner consultants working for the city."""
    return acting_role(user) in selectors.BACKOFFICE_ROLES


def is_administrator(user: Any) -> bool:
    return acting_role(user) == Role.ADMINISTRATOR


def has_confirmed_email(user: Any) -> bool:
    """The person confirmed the address their account uses (rules may require it to act)."""
    account = _account(user)
    return account is not None and selectors.has_verified_email(account)


def has_two_factor(user: Any) -> bool:
    account = _account(user)
    return account is not None and "totp" in selectors.two_factor_types(account)


def must_set_up_two_factor(user: Any) -> bool:
    """A staff member of a city that requires two-factor authentication, without it."""
    return (
        holds_backoffice_role(user)
        and selectors.account_settings().staff_two_factor_required
        and not has_two_factor(user)
        # An operator's support visit: they passed two factors on the console to get here.
        and not selectors.is_support_account(user)
    )


def second_factor_refusal(request: HttpRequest) -> HttpResponse | None:
    """For a page that needs the second factor, from someone who has one set up: None when
    this session's sign-in used it, else the way to enter a code now (allauth's step, which
    records it and comes back here)."""
    if second_factor_used(request, request.user):
        return None
    messages.warning(request, _("Enter a code from your authenticator app to continue."))
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{query}")


def second_factor_pending(request: HttpRequest) -> bool:
    """Whether the request's user holds a staff role the city requires a second factor for,
    and this session has not met that rule (none set up, or set up but not used)."""
    account = _account(request.user)
    if account is None or account.role not in selectors.BACKOFFICE_ROLES:
        return False
    if selectors.is_support_account(account):
        # An operator's support visit: they passed two factors on the console to get here.
        return False
    if not selectors.account_settings().staff_two_factor_required:
        return False
    return not has_two_factor(account) or not second_factor_used(request, account)


def check_staff_access(request: HttpRequest) -> HttpResponse | None:
    """None when the request may see a staff page; otherwise the response to give instead."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not holds_backoffice_role(user):
        raise PermissionDenied
    if must_set_up_two_factor(user):
        messages.warning(
            request,
            _(
                "This city requires two-factor authentication for its staff. Set up an "
                "authenticator app to continue."
            ),
        )
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
    if selectors.account_settings().staff_two_factor_required and has_two_factor(user):
        return second_factor_refusal(request)
    return None


def staff_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        refusal = check_staff_access(request)
        if refusal is not None:
            return refusal
        return view(request, *args, **kwargs)

    return cast(View, wrapped)


class StaffRequiredMixin:
    """For class-based staff views; put it first among the bases."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        refusal = check_staff_access(request)
        if refusal is not None:
            return refusal
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # a View's
