"""Forms with one field per city language for each piece of text a city writes (`title_pl`,
`title_en`...): the bases of the project builder's forms and of the methods' staff forms
(TranslatedFields and MultilingualForm, both labelled in the interface's language), low in
the city plane so that methods need not import the back office or each other."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf.locale import LANG_INFO
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


class TranslatedFields(forms.Form):
    """A form with one field per city language for each piece of text a city writes."""

    def __init__(
        self, *args: Any, languages: tuple[str, ...], default_language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The default language first: it is the one every text must have.
        self.languages = (default_language, *[c for c in languages if c != default_language])
        self.default_language = default_language

    def add_translated(
        self,
        prefix: str,
        label: Any,
        *,
        required: bool,
        max_length: int,
        textarea: bool = False,
        initial: dict[str, str] | None = None,
    ) -> None:
        for code in self.languages:
            field = forms.CharField(
                label=_("%(what)s (%(language)s)")
                % {"what": label, "language": language_name(code)},
                max_length=max_length,
                required=required and code == self.default_language,
                widget=forms.Textarea(attrs={"rows": 5}) if textarea else forms.TextInput,
                initial=(initial or {}).get(code, ""),
            )
            field.widget.attrs["lang"] = code
            self.fields[f"{prefix}_{code}"] = field

    def texts(self, prefix: str) -> dict[str, str]:
        return {
            code: (self.cleaned_data.get(f"{prefix}_{code}") or "").strip()
            for code in self.languages
        }


def local_language_name(code: str) -> str:
    """The language's own name for itself ("polski", "English")."""
    return str(LANG_INFO.get(code, {}).get("name_local", code))


class MultilingualForm(forms.Form):
    """A form with some fields asked once per city language (`<name>_<code>`)."""

    def __init__(
        self,
        *args: Any,
        languages: tuple[str, ...] | list[str],
        default_language: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.languages = list(languages)
        self.default_language = default_language

    def add_texts(
        self,
        name: str,
        label: str,
        *,
        required: bool = False,
        textarea: bool = False,
        help_text: str = "",
        max_length: int = 2000,
    ) -> None:
        for code in self.languages:
            self.fields[f"{name}_{code}"] = forms.CharField(
                # In the interface's language, as in the project builder: "Tytuł (angielski)".
                label=_("%(what)s (%(language)s)")
                % {"what": label, "language": language_name(code)},
                required=required and code == self.default_language,
                widget=forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput,
                help_text=help_text,
                max_length=max_length,
            )

    def texts(self, name: str) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"{name}_{code}", "") or "" for code in self.languages}

    def set_texts(self, name: str, values: dict[str, str]) -> None:
        for code in self.languages:
            self.initial[f"{name}_{code}"] = values.get(code, "")
