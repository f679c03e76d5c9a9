"""What people holds about a person: their answers to the city's registration questions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ratusz.accounts.personal_data import OnDeletion, PersonalDataKind
from ratusz.consultations.people.models import FieldAnswer


def _answer(answer: FieldAnswer) -> dict[str, Any]:
    return {"field": answer.field.key, "answer": answer.value, "updated": answer.updated_at}


DECLARATIONS = (
    PersonalDataKind(
        name="registration_answers",
        label=_("Your answers to the city's registration questions"),
        model="people.FieldAnswer",
        person_fields=("user",),
        on_deletion=OnDeletion.DELETE,
        describe=_answer,
        order_by=("field__position", "field__key"),
    ),
)
