"""Places where city-plane apps extend accounts without accounts importing them.

Accounts sits below consultations (an import-linter contract), so an app that asks the
sign-up form for more (registration fields) or reacts to an accepted invitation registers
here from its `ready()`:

- a sign-up extension: `register_signup_extension("people", SignupExtension(fields, save))`;
  `fields()` gives the extra form fields (names unique across extensions, built for each form
  so they follow the city's current settings), `save(user, cleaned_data)` runs inside the
  sign-up's transaction after the account is saved;
- an invitation hook: `register_invitation_accepted_hook(hook)`, called with the invitation and
  the account inside the acceptance's transaction. A hook that must refuse the acceptance (the
  plan has no staff seat left, say) raises `InvitationRefused(message)`: the transaction rolls
  back, so no account is created or changed, and the acceptance page shows the message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ratusz.errors import Refused

if TYPE_CHECKING:
    from django import forms

    from ratusz.accounts.models import Invitation, User

InvitationAcceptedHook = Callable[["Invitation", "User"], None]

EmailConfirmedHook = Callable[["User"], None]


class InvitationRefused(Refused):
    """Raised by an invitation hook to refuse the acceptance; `message` is for the person."""

    code = "invitation_refused"

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class SignupExtension:
    fields: Callable[[], dict[str, forms.Field]]
    save: Callable[[User, Mapping[str, Any]], None]


_signup_extensions: dict[str, SignupExtension] = {}
_invitation_hooks: list[InvitationAcceptedHook] = []


def register_signup_extension(name: str, extension: SignupExtension) -> None:
    _signup_extensions[name] = extension


def unregister_signup_extension(name: str) -> None:
    _signup_extensions.pop(name, None)


def signup_extensions() -> tuple[SignupExtension, ...]:
    return tuple(_signup_extensions[name] for name in sorted(_signup_extensions))


def register_invitation_accepted_hook(hook: InvitationAcceptedHook) -> None:
    if hook not in _invitation_hooks:
        _invitation_hooks.append(hook)


def unregister_invitation_accepted_hook(hook: InvitationAcceptedHook) -> None:
    if hook in _invitation_hooks:
        _invitation_hooks.remove(hook)


def invitation_accepted_hooks() -> tuple[InvitationAcceptedHook, ...]:
    return tuple(_invitation_hooks)


_email_confirmed_hooks: list[EmailConfirmedHook] = []


def register_email_confirmed_hook(hook: EmailConfirmedHook) -> None:
    """`hook(user)` runs when a person confirms their address for the first time (the welcome
    e-mail waits for it: the first e-mail a new account gets is the confirmation link)."""
    if hook not in _email_confirmed_hooks:
        _email_confirmed_hooks.append(hook)


def email_confirmed_hooks() -> tuple[EmailConfirmedHook, ...]:
    return tuple(_email_confirmed_hooks)
