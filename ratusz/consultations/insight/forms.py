"""Input of the themes page: renaming, tagging and merging themes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.insight.models import Theme
from ratusz.consultations.insight.services import MAX_TAGS

MAX_TAG_LENGTH = 40


class RenameForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        required=False,
        help_text=_("Leave empty to name the theme by its top words."),
    )


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"),
        max_length=500,
        required=False,
        help_text=_("Separate tags with commas."),
    )

    def clean_tags(self) -> list[str]:
        tags = [" ".join(t.split()) for t in self.cleaned_data["tags"].split(",")]
        tags = [t for t in tags if t]
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(
                _("A theme can have at most %(max)s tags."), params={"max": MAX_TAGS}
            )
        too_long = [t for t in tags if len(t) > MAX_TAG_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("“%(tag)s” is too long: a tag can be at most %(max)s characters."),
                params={"tag": too_long[0], "max": MAX_TAG_LENGTH},
            )
        return tags


def _theme_label(theme: Theme) -> str:
    return theme.display_name


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Theme.objects.none(),
        error_messages={"required": _("Choose the theme to merge into.")},
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes to merge"),
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one theme to merge.")},
    )

    def __init__(self, *args: Any, themes: QuerySet[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("target", "themes"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = themes
            field.label_from_instance = _theme_label  # type: ignore[method-assign,assignment]  # Django's documented hook

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target, themes = data.get("target"), data.get("themes")
        if target is not None and themes is not None:
            others = [t for t in themes if t.pk != target.pk]
            if not others:
                self.add_error(
                    "themes", _("Choose at least one theme other than the one to merge into.")
                )
            data["others"] = others
        return data
