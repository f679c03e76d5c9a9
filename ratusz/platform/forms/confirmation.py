"""What every operator action's form shares: the operator confirms what it will do."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ConfirmForm(forms.Form):
    """Every lifecycle action asks for a confirmation (and an optional reason)."""

    confirm = forms.BooleanField(label=_("Yes, I am sure"), required=True)
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class _Confirmed(forms.Form):
    """Every console action asks the operator to confirm it. Several of these forms share the
    city page, so each has its own prefix for element ids (field names stay plain)."""

    id_prefix = "action"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)

    confirm = forms.BooleanField(
        label=_("Yes, I am sure"),
        required=True,
        error_messages={"required": _("Tick the box to confirm.")},
    )
