"""One refusal type for every service, and the view helpers that show one to a person.

A service that cannot do what it is asked raises a `Refused` (or one of its subclasses, which
name the area: `ActionRefused`, `BillingRefused`, `SlugRefused`...). It carries a `code`, a
short stable string for programs (tests, an API, logs), and a `message` for a person, already in
their language. A view catches `Refused` once and hands it to `refusal_to_form` or
`refusal_message`, so every refusal reaches the person the same way.

This module is the bottom of the product: it imports nothing of Ratusz.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Refused(Exception):
    """A request a service cannot carry out; `message` tells the person why (and what to do).

    Raised like any exception, `Refused(message)`: the message is the first argument, so
    `str(refused)` is the message too. Subclasses set their own default `code`; one raise may
    give a more precise one (`Refused(message, code="slug_taken")`)."""

    code: str = "refused"
    default_message: StrOrPromise = _("This cannot be done.")
    message: str

    def __init__(self, *args: Any, code: str | None = None) -> None:
        super().__init__(*args)
        # Translated when raised, in the language of the request or task that raised it.
        self.message = args[0] if args else str(self.default_message)
        if code is not None:
            self.code = code


def refusal_text(refused: Refused) -> str:
    """The refusal's words for a person. A refusal that is also a form's ValidationError
    (UploadRefused) keeps Django's shape: its `message` is a template that `messages` fills."""
    if isinstance(refused, forms.ValidationError):
        return " ".join(refused.messages)
    return str(refused.message)


def refusal_to_form(form: forms.BaseForm, refused: Refused, *, field: str | None = None) -> None:
    """Show the refusal on the form: under `field`, or above the form's fields."""
    form.add_error(field, refusal_text(refused))


def refusal_message(request: HttpRequest, refused: Refused) -> None:
    """Show the refusal as an error message on the next page."""
    messages.error(request, refusal_text(refused))
