"""The registration fields in the sign-up form: accounts' sign-up extension for this app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings

from ratusz.accounts.extensions import SignupExtension
from ratusz.accounts.models import User
from ratusz.consultations.people import selectors, services
from ratusz.consultations.people.forms.answers import answer_fields, answers_in
from ratusz.tenants.db import connection


def _in_a_city() -> bool:
    return str(connection.schema_name) != settings.PUBLIC_SCHEMA_NAME


def signup_form_fields() -> dict[str, forms.Field]:
    """The active fields asked at sign-up (none on the control plane)."""
    if not _in_a_city():
        return {}
    return answer_fields(selectors.signup_fields())


def save_signup_answers(user: User, data: Mapping[str, Any]) -> None:
    """Save what the new resident answered; groups by rule take them in at once."""
    if not _in_a_city():
        return
    services.save_answers(user=user, answers=answers_in(data))


extension = SignupExtension(fields=signup_form_fields, save=save_signup_answers)
