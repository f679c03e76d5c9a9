"""The site: its languages, pages, footer links and own domain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.branding.forms.multilingual import MultilingualMixin, _language_label
from ratusz.consultations.branding.models import LinkPlace, Page, PageStatus
from ratusz.consultations.core.richtext import plain_text


class LanguagesForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("Languages of the portal"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    default_language = forms.ChoiceField(
        label=_("Default language"),
        choices=settings.LANGUAGES,
        help_text=_(
            "Visitors who have not chosen a language see this one, and texts written "
            "only in it are shown in every language."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        default, offered = data.get("default_language"), data.get("languages")
        if default and offered and default not in offered:
            self.add_error(
                "default_language",
                _("The default language must be one of the languages the portal offers."),
            )
        return data


class PageForm(MultilingualMixin, forms.Form):
    slug = forms.SlugField(
        label=_("Address"),
        max_length=80,
        help_text=_("The page is at /pages/<address>/; lower-case letters, digits and hyphens."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=PageStatus.choices, widget=forms.RadioSelect
    )

    def __init__(
        self, *args: Any, languages: tuple[str, ...], page: Page | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        self.page = page
        if page is not None:
            self.fields["slug"].disabled = True
        for code in languages:
            self.fields[f"title_{code}"] = forms.CharField(
                label=_language_label(_("Title"), code),
                max_length=150,
                required=code == languages[0],
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_language_label(_("Text"), code),
                required=False,
                help_text=_(
                    "Paragraphs, headings, lists and links are kept; other markup is removed."
                ),
                widget=forms.Textarea(attrs={"rows": 12}),
            )

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if self.page is None and Page.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("A page at /pages/%(slug)s/ already exists; choose another address."),
                params={"slug": slug},
            )
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == PageStatus.PUBLISHED:
            default = self.languages[0]
            if not plain_text(data.get(f"body_{default}") or ""):
                self.add_error(
                    f"body_{default}",
                    _("A published page needs its text in the default language (%(code)s).")
                    % {"code": default},
                )
        return data


class LinkForm(MultilingualMixin, forms.Form):
    place = forms.ChoiceField(label=_("Where"), choices=LinkPlace.choices)
    page = forms.ModelChoiceField(
        label=_("Page of the portal"), queryset=Page.objects.none(), required=False
    )
    url = forms.URLField(
        label=_("Or another address"),
        required=False,
        assume_scheme="https",
        help_text=_("For example https://www.gdansk.pl/kontakt"),
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)

    def __init__(self, *args: Any, languages: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        page_field = self.fields["page"]
        assert isinstance(page_field, forms.ModelChoiceField)
        page_field.queryset = Page.objects.all()
        for code in languages:
            self.fields[f"label_{code}"] = forms.CharField(
                label=_language_label(_("Label"), code),
                max_length=60,
                required=code == languages[0],
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "page" in data and "url" in data and bool(data.get("page")) == bool(data.get("url")):
            self.add_error(
                "url", _("Choose one page of the portal or give one address, not both or none.")
            )
        return data


class DomainForm(forms.Form):
    domain = forms.CharField(
        label=_("Your domain"),
        max_length=253,
        help_text=_("For example konsultacje.gdansk.pl"),
    )
