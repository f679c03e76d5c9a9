"""Forms of city templates: save a city as one, retire one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ratusz.platform.forms.confirmation import ConfirmForm, _Confirmed


class SaveTemplateForm(_Confirmed):
    id_prefix = "template"
    name = forms.CharField(
        label=_("Name of the template"),
        max_length=120,
        error_messages={"required": _("Give the template a name.")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    code = forms.SlugField(
        label=_("Identifier"),
        max_length=60,
        required=False,
        help_text=_("Letters, digits and hyphens; made from the name when left empty."),
    )
    field_order = ["name", "description", "code", "confirm"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the template a name."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and not data.get("code"):
            code = slugify(data["name"])[:60]
            if not code:
                self.add_error("code", _("Choose an identifier (letters, digits and hyphens)."))
            data["code"] = code
        return data


class RetireTemplateForm(ConfirmForm):
    pass
