"""The look of the portal: colours (readable, WCAG AA), images (logo, icon, header, sharing)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.branding.contrast import (
    AA_NORMAL_TEXT,
    BLACK,
    WHITE,
    contrast_ratio,
    passing_shade,
)
from ratusz.consultations.branding.forms.multilingual import MultilingualMixin, _language_label
from ratusz.consultations.branding.models import Font, TextColour
from ratusz.tenants.uploads import IMAGE_TYPES, UploadRefused, display_name, inspect_upload

HEX_COLOUR = r"^#[0-9a-fA-F]{6}$"


@dataclass(frozen=True)
class ImageRule:
    """What an uploaded image must be: formats, size on disk, dimensions in pixels."""

    formats: frozenset[str]
    max_bytes: int
    min_width: int
    min_height: int
    max_width: int = 4000
    max_height: int = 4000
    square: bool = False


IMAGE_RULES: dict[str, ImageRule] = {
    "logo": ImageRule(frozenset({"PNG", "JPEG", "WEBP"}), 1024 * 1024, 40, 40, 2000, 1000),
    "favicon": ImageRule(frozenset({"PNG", "ICO"}), 200 * 1024, 32, 32, 512, 512, square=True),
    "header_image": ImageRule(frozenset({"PNG", "JPEG", "WEBP"}), 5 * 1024 * 1024, 1000, 200),
    "social_image": ImageRule(frozenset({"PNG", "JPEG"}), 5 * 1024 * 1024, 600, 315),
}
FORMAT_NAMES = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP", "ICO": "ICO"}


def check_image(upload: UploadedFile, rule: ImageRule) -> None:
    """Refuse an image of the wrong type, too heavy, too small or too big, saying which."""
    allowed = ", ".join(sorted(FORMAT_NAMES[f] for f in rule.formats))
    if upload.size and upload.size > rule.max_bytes:
        raise forms.ValidationError(
            _("“%(name)s” is %(size)s KB; this image can be at most %(max)s KB."),
            params={
                "name": display_name(upload.name),
                "size": math.ceil(upload.size / 1024),
                "max": rule.max_bytes // 1024,
            },
        )
    try:
        detected = inspect_upload(upload, accept=IMAGE_TYPES)
    except UploadRefused as refused:
        if refused.code in {"too_many_pixels", "svg"}:
            raise
        raise forms.ValidationError(
            _("“%(name)s” is not an image we can read. Use a file of type: %(formats)s."),
            params={"name": display_name(upload.name), "formats": allowed},
        ) from refused
    image_format, width, height = detected.type.image_format, detected.width, detected.height
    if image_format not in rule.formats:
        raise forms.ValidationError(
            _("“%(name)s” is a %(found)s image; use a file of type: %(formats)s."),
            params={"name": display_name(upload.name), "found": image_format, "formats": allowed},
        )
    if width < rule.min_width or height < rule.min_height:
        raise forms.ValidationError(
            _(
                "“%(name)s” is %(width)s×%(height)s pixels; it must be at least "
                "%(min_width)s×%(min_height)s pixels."
            ),
            params={
                "name": display_name(upload.name),
                "width": width,
                "height": height,
                "min_width": rule.min_width,
                "min_height": rule.min_height,
            },
        )
    if width > rule.max_width or height > rule.max_height:
        raise forms.ValidationError(
            _(
                "“%(name)s” is %(width)s×%(height)s pixels; it can be at most "
                "%(max_width)s×%(max_height)s pixels."
            ),
            params={
                "name": display_name(upload.name),
                "width": width,
                "height": height,
                "max_width": rule.max_width,
                "max_height": rule.max_height,
            },
        )
    if rule.square and width != height:
        raise forms.ValidationError(
            _("“%(name)s” is %(width)s×%(height)s pixels; this icon must be square."),
            params={"name": display_name(upload.name), "width": width, "height": height},
        )


def contrast_problem(colour: str, text: str) -> str | None:
    """Why `text` ("white"/"black") on `colour` is unreadable, with a shade that works."""
    text_hex = BLACK if text == TextColour.BLACK else WHITE
    ratio = contrast_ratio(colour, text_hex)
    if ratio >= AA_NORMAL_TEXT:
        return None
    shown = math.floor(ratio * 100) / 100  # never round a failing ratio up to 4.5
    shade = passing_shade(colour, text_hex)
    if text == TextColour.BLACK:
        return str(
            _(
                "Black text on %(colour)s has a contrast ratio of %(ratio).2f:1, below the "
                "4.5:1 that WCAG AA requires, so black text fails. Choose a lighter shade such "
                "as %(shade)s, or white text."
            )
            % {"colour": colour.lower(), "ratio": shown, "shade": shade}
        )
    return str(
        _(
            "White text on %(colour)s has a contrast ratio of %(ratio).2f:1, below the 4.5:1 "
            "that WCAG AA requires, so white text fails. Choose a darker shade such as "
            "%(shade)s, or black text."
        )
        % {"colour": colour.lower(), "ratio": shown, "shade": shade}
    )


def _colour_field(label: Any) -> forms.RegexField:
    return forms.RegexField(
        label=label,
        regex=HEX_COLOUR,
        widget=forms.TextInput(attrs={"type": "color"}),
        error_messages={"invalid": _("Give the colour as #RRGGBB.")},
    )


class BrandingForm(MultilingualMixin, forms.Form):
    primary_color = _colour_field(_("Primary colour (header and buttons)"))
    primary_text = forms.ChoiceField(
        label=_("Text on the primary colour"),
        choices=TextColour.choices,
        widget=forms.RadioSelect,
    )
    secondary_color = _colour_field(_("Secondary colour (footer)"))
    secondary_text = forms.ChoiceField(
        label=_("Text on the secondary colour"),
        choices=TextColour.choices,
        widget=forms.RadioSelect,
    )
    font = forms.ChoiceField(label=_("Font"), choices=Font.choices, widget=forms.RadioSelect)
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, at most 1 MB, from 40×40 to 2000×1000 pixels."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    favicon = forms.FileField(
        label=_("Browser tab icon (favicon)"),
        required=False,
        help_text=_("A square PNG or ICO, at most 200 KB, from 32×32 to 512×512 pixels."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/x-icon,.ico"}),
    )
    remove_favicon = forms.BooleanField(label=_("Remove the icon"), required=False)
    header_image = forms.FileField(
        label=_("Header image on the home page"),
        required=False,
        help_text=_("PNG, JPEG or WebP, at most 5 MB, at least 1000×200 pixels."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_header_image = forms.BooleanField(label=_("Remove the header image"), required=False)
    social_image = forms.FileField(
        label=_("Image shown when the portal is shared (og:image)"),
        required=False,
        help_text=_("PNG or JPEG, at most 5 MB, at least 600×315 pixels (1200×630 is best)."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_social_image = forms.BooleanField(label=_("Remove the shared image"), required=False)

    def __init__(self, *args: Any, languages: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        for code in languages:
            self.fields[f"logo_alt_{code}"] = forms.CharField(
                label=_language_label(_("Logo description for screen readers"), code),
                max_length=150,
                required=False,
            )
        for code in languages:
            self.fields[f"welcome_title_{code}"] = forms.CharField(
                label=_language_label(_("Welcome title"), code), max_length=150, required=False
            )
            self.fields[f"welcome_text_{code}"] = forms.CharField(
                label=_language_label(_("Welcome text"), code),
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for code in languages:
            self.fields[f"cookie_notice_{code}"] = forms.CharField(
                label=_language_label(_("Cookie notice"), code),
                max_length=1000,
                required=False,
                help_text=_("Leave empty to show no cookie notice."),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def group(self, *prefixes: str) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(prefixes)]

    @property
    def colour_fields(self) -> list[forms.BoundField]:
        return self.group("primary_", "secondary_", "font")

    @property
    def image_fields(self) -> list[forms.BoundField]:
        return self.group(
            "logo",
            "remove_logo",
            "favicon",
            "remove_favicon",
            "header_image",
            "remove_header_image",
            "social_image",
            "remove_social_image",
        )

    @property
    def text_fields(self) -> list[forms.BoundField]:
        return self.group("welcome_", "cookie_notice_")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for colour, text in (
            ("primary_color", "primary_text"),
            ("secondary_color", "secondary_text"),
        ):
            if data.get(colour) and data.get(text):
                problem = contrast_problem(data[colour], data[text])
                if problem:
                    self.add_error(colour, problem)
        for name, rule in IMAGE_RULES.items():
            upload = data.get(name)
            if upload:
                try:
                    check_image(upload, rule)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return data

    def uploads(self) -> dict[str, UploadedFile]:
        return {
            name: self.cleaned_data[name] for name in IMAGE_RULES if self.cleaned_data.get(name)
        }

    def removals(self) -> list[str]:
        return [name for name in IMAGE_RULES if self.cleaned_data.get(f"remove_{name}")]
