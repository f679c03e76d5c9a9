"""Registration fields, their options, and residents' answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.core.models import ResidentGroup
from ratusz.consultations.participation.refusals import Refused
from ratusz.consultations.people import selectors
from ratusz.consultations.people.models import (
    AskedAt,
    FieldAnswer,
    FieldKind,
    FieldOption,
    RegistrationField,
)
from ratusz.consultations.people.services.groups import recompute_group, refresh_memberships

# --- registration fields --------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionSpec:
    value: str
    label: dict[str, str]
    reference_share: Decimal | None = None


def _set_options(registration_field: RegistrationField, options: Sequence[OptionSpec]) -> None:
    keep = [option.value for option in options]
    registration_field.options.exclude(value__in=keep).delete()
    for position, option in enumerate(options):
        FieldOption.objects.update_or_create(
            field=registration_field,
            value=option.value,
            defaults={
                "label": option.label,
                "position": position,
                "reference_share": option.reference_share,
            },
        )


def _check_options(kind: str, options: Sequence[OptionSpec]) -> None:
    if kind == FieldKind.CHOICE and len(options) < 2:
        raise Refused(_("A single-choice field needs at least two options."))
    values = [option.value for option in options]
    if len(set(values)) != len(values):
        raise Refused(_("Each option needs its own value."))
    shares = [option.reference_share for option in options if option.reference_share is not None]
    if sum(shares, Decimal(0)) > 100:
        raise Refused(_("The population shares of the options add up to more than 100%."))


def create_field(
    *,
    key: str,
    label: dict[str, str],
    kind: str,
    help_text: dict[str, str] | None = None,
    required: bool = False,
    asked_at: str = AskedAt.SIGNUP,
    active: bool = True,
    position: int | None = None,
    options: Sequence[OptionSpec] = (),
) -> RegistrationField:
    if RegistrationField.objects.filter(key=key).exists():
        raise Refused(_("Another field already uses this key."))
    if kind not in FieldKind.values:
        raise Refused(_("Choose the kind of the field."))
    _check_options(kind, options)
    with transaction.atomic():
        if position is None:
            position = RegistrationField.objects.count()
        registration_field = RegistrationField.objects.create(
            key=key,
            label=label,
            help_text=help_text or {},
            kind=kind,
            required=required,
            asked_at=asked_at,
            active=active,
            position=position,
        )
        if kind == FieldKind.CHOICE:
            _set_options(registration_field, options)
    return registration_field


def update_field(
    *,
    registration_field: RegistrationField,
    label: dict[str, str],
    help_text: dict[str, str] | None = None,
    required: bool,
    asked_at: str,
    active: bool,
    position: int,
    options: Sequence[OptionSpec] = (),
) -> RegistrationField:
    """Change a field; its key and kind stay (answers and rules depend on them)."""
    _check_options(registration_field.kind, options)
    with transaction.atomic():
        registration_field.label = label
        registration_field.help_text = help_text or {}
        registration_field.required = required
        registration_field.asked_at = asked_at
        registration_field.active = active
        registration_field.position = position
        registration_field.save()
        if registration_field.kind == FieldKind.CHOICE:
            _set_options(registration_field, options)
    return registration_field


def delete_field(*, registration_field: RegistrationField) -> list[ResidentGroup]:
    """Delete a field and its answers. Groups whose rule used it keep their members and say
    that their rule is broken; returns them."""
    with transaction.atomic():
        affected = selectors.groups_using_field(registration_field.key)
        registration_field.delete()
        for group in affected:
            recompute_group(group=group)
    return affected


def save_answers(*, user: User, answers: Mapping[str, Any]) -> None:
    """Save the person's answers (by field key; empty removes an answer), then the groups
    that depend on them. Answers are validated by the form that collected them."""
    fields = {found.key: found for found in RegistrationField.objects.filter(key__in=answers)}
    with transaction.atomic():
        for key, raw in answers.items():
            registration_field = fields.get(key)
            if registration_field is None:
                continue
            value = "" if raw is None else str(raw).strip()
            if not value:
                FieldAnswer.objects.filter(user=user, field=registration_field).delete()
                continue
            number = int(value) if registration_field.is_numeric else None
            FieldAnswer.objects.update_or_create(
                user=user, field=registration_field, defaults={"value": value, "number": number}
            )
        refresh_memberships(user=user)
