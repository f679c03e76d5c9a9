"""Validation of what residents and staff send about ideas: the only place input becomes errors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.models import Phase, Topic
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.ideation.models import IdeaStatus
from ratusz.tenants.uploads import UploadRefused, display_name, inspect_upload

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
IMAGE_EXTENSIONS = frozenset({"jpg", "png", "webp"})
# What the content must be (detected, whatever the name says).
ATTACHMENT_TYPES = frozenset({"pdf", "odt", "docx", "xlsx", "ods", "txt", "jpg", "png"})
MAX_IMAGES = 5
MAX_ATTACHMENTS = 3


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def check_image(upload: UploadedFile) -> None:
    if upload.size and upload.size > MAX_IMAGE_BYTES:
        raise forms.ValidationError(
            _("“%(name)s” is too large: images can be at most 5 MB."),
            params={"name": display_name(upload.name)},
        )
    try:
        inspect_upload(upload, accept=IMAGE_EXTENSIONS)
    except UploadRefused as refused:
        if refused.code in {"too_many_pixels", "svg"}:
            raise
        raise forms.ValidationError(
            _("“%(name)s” is not an image we can show: use a JPEG, PNG or WebP file."),
            params={"name": display_name(upload.name)},
        ) from refused


def check_attachment(upload: UploadedFile) -> None:
    if upload.size and upload.size > MAX_ATTACHMENT_BYTES:
        raise forms.ValidationError(
            _("“%(name)s” is too large: attachments can be at most 10 MB."),
            params={"name": display_name(upload.name)},
        )
    try:
        inspect_upload(upload, accept=ATTACHMENT_TYPES)
    except UploadRefused as refused:
        if refused.code in {"too_many_pixels", "svg"}:
            raise
        raise forms.ValidationError(
            _("“%(name)s”: attach PDF, office documents, text or images only."),
            params={"name": display_name(upload.name)},
        ) from refused


class _NamedInCityLanguage:
    """Choices labelled with their name in the current language (else the city's default)."""

    default_language = "pl"

    def label_from_instance(self, obj: Any) -> str:
        return translated(obj.name, self.default_language)


class TopicsField(_NamedInCityLanguage, forms.ModelMultipleChoiceField):
    pass


class StatusField(_NamedInCityLanguage, forms.ModelChoiceField):
    pass


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160, min_length=5)
    body = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text=_("Explain what you propose and why. Simple formatting is kept."),
    )
    topics = TopicsField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    images = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_("Up to 5 images (JPEG, PNG or WebP), at most 5 MB each."),
    )
    image_description = forms.CharField(
        label=_("What the photos show"),
        max_length=200,
        required=False,
        help_text=_("A short description for people who cannot see the images."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Up to 3 files (PDF, office documents), at most 10 MB each."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, decimal_places=6
    )
    address = forms.CharField(label=_("Place"), max_length=200, required=False)
    anonymous = forms.BooleanField(label=_("Publish without my name"), required=False)

    def __init__(self, *args: Any, phase: Phase, default_language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.phase = phase
        topics = self.fields["topics"]
        assert isinstance(topics, TopicsField)
        topics.default_language = default_language
        field_rules: dict[str, str] = phase.options.get("fields", {})
        for name, form_fields in {
            "images": ["images", "image_description"],
            "attachments": ["attachments"],
            "location": ["latitude", "longitude", "address"],
            "topics": ["topics"],
        }.items():
            rule = field_rules.get(name, "optional")
            for field_name in form_fields:
                if rule == "off":
                    del self.fields[field_name]
                elif rule == "required" and field_name not in {"image_description", "address"}:
                    self.fields[field_name].required = True
        if not phase.options.get("anonymous_posting"):
            del self.fields["anonymous"]
        if not Topic.objects.exists() and "topics" in self.fields:
            del self.fields["topics"]

    def clean_images(self) -> list[UploadedFile]:
        images: list[UploadedFile] = self.cleaned_data.get("images") or []
        if len(images) > MAX_IMAGES:
            raise forms.ValidationError(_("Add at most 5 images."))
        for image in images:
            check_image(image)
        return images

    def clean_attachments(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("Add at most 3 attachments."))
        for upload in files:
            check_attachment(upload)
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        latitude: Decimal | None = data.get("latitude")
        longitude: Decimal | None = data.get("longitude")
        if (latitude is None) != (longitude is None):
            raise forms.ValidationError(
                _("Pick the place on the map, or give both latitude and longitude.")
            )
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class StatusForm(forms.Form):
    status = StatusField(label=_("New status"), queryset=IdeaStatus.objects.all())
    answer = forms.CharField(
        label=_("Official answer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
        help_text=_("Everyone involved receives it. Explain the decision in plain words."),
    )

    def __init__(self, *args: Any, default_language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, StatusField)
        status.default_language = default_language


class IdeaFilterForm(forms.Form):
    SORT_CHOICES = [
        # Best matches first when searching, trending ideas first otherwise.
        ("", _("Recommended")),
        ("trending", _("Trending")),
        ("newest", _("Newest")),
        ("most_reacted", _("Most reactions")),
        ("most_commented", _("Most comments")),
    ]
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, default_language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        topic_field = self.fields["topic"]
        status_field = self.fields["status"]
        assert isinstance(topic_field, forms.ChoiceField)
        assert isinstance(status_field, forms.ChoiceField)
        topic_field.choices = everything + [
            (t.slug, translated(t.name, default_language)) for t in Topic.objects.all()
        ]
        status_field.choices = everything + [
            (s.code, translated(s.name, default_language)) for s in IdeaStatus.objects.all()
        ]


class IdeaStatusForm(forms.Form):
    """A city's own status: identifier, colour, and a name and description per city language."""

    code = forms.SlugField(label=_("Identifier"), max_length=40)
    color = forms.RegexField(
        label=_("Colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#4a4a4a",
        widget=forms.TextInput(attrs={"type": "color"}),
        error_messages={"invalid": _("Give the colour as #RRGGBB.")},
    )
    is_final = forms.BooleanField(
        label=_("This status closes the idea (accepted, implemented, rejected...)"), required=False
    )

    def __init__(
        self, *args: Any, languages: tuple[str, ...], editing: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        if editing:
            self.fields["code"].disabled = True
        for code in languages:
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name (%(language)s)") % {"language": code},
                max_length=60,
                required=code == languages[0],
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": code},
                max_length=300,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def texts(self, prefix: str) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"{prefix}_{code}", "") for code in self.languages}
