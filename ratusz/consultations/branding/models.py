"""City-plane data of the branding and site area: the look, the pages and the links.

The primary colour and the welcome texts stay on `consultations.PortalSettings` (where the
portal's home page already reads them); everything else about the look lives in `Branding`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusz.tenants.uploads import UploadedImageField


class TextColour(models.TextChoices):
    WHITE = "white", _("White text")
    BLACK = "black", _("Black text")


class Font(models.TextChoices):
    # System fonts only: nothing is fetched from another server (privacy, speed, offline).
    SYSTEM = "system", _("The device's own font (recommended)")
    SANS = "sans", _("Classic sans-serif (Arial, Helvetica)")
    HUMANIST = "humanist", _("Wide sans-serif (Verdana, Tahoma)")
    SERIF = "serif", _("Serif (Georgia, Times)")


FONT_STACKS: dict[str, str] = {
    Font.SYSTEM: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    Font.SANS: 'Arial, "Helvetica Neue", Helvetica, "Liberation Sans", sans-serif',
    Font.HUMANIST: 'Verdana, Tahoma, "DejaVu Sans", "Segoe UI", sans-serif',
    Font.SERIF: 'Georgia, "Times New Roman", "Liberation Serif", serif',
}


class Branding(models.Model):
    """The city's look: one row per city schema (made on first save)."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    primary_text = models.CharField(
        _("text on the primary colour"),
        max_length=8,
        choices=TextColour.choices,
        default=TextColour.WHITE,
    )
    secondary_color = models.CharField(_("secondary colour"), max_length=7, default="#2d3e50")
    secondary_text = models.CharField(
        _("text on the secondary colour"),
        max_length=8,
        choices=TextColour.choices,
        default=TextColour.WHITE,
    )
    font = models.CharField(_("font"), max_length=16, choices=Font.choices, default=Font.SYSTEM)
    logo = UploadedImageField(_("logo"), upload_to="branding/", blank=True)
    logo_alt = models.JSONField(_("logo description"), default=dict, blank=True)
    favicon = UploadedImageField(_("browser tab icon"), upload_to="branding/", blank=True)
    header_image = UploadedImageField(_("header image"), upload_to="branding/", blank=True)
    social_image = UploadedImageField(_("social preview image"), upload_to="branding/", blank=True)
    cookie_notice = models.JSONField(_("cookie notice"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("branding")
        verbose_name_plural = _("branding")
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=True), name="branding_singleton"),
            models.CheckConstraint(
                condition=models.Q(secondary_color__regex=r"^#[0-9a-fA-F]{6}$"),
                name="branding_secondary_color_hex",
            ),
            models.CheckConstraint(
                condition=models.Q(primary_text__in=TextColour.values)
                & models.Q(secondary_text__in=TextColour.values),
                name="branding_text_colour_valid",
            ),
        ]

    def __str__(self) -> str:
        return "branding"


class PageKind(models.TextChoices):
    ABOUT = "about", _("About")
    PRIVACY = "privacy", _("Privacy policy")
    TERMS = "terms", _("Terms of use")
    FAQ = "faq", _("Frequently asked questions")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")
    CUSTOM = "custom", _("Other page")


class PageStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Page(models.Model):
    """A page of the city's own text at /pages/<slug>/ (about, privacy, accessibility...)."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=PageKind.choices, default=PageKind.CUSTOM
    )
    title = models.JSONField(_("title"), default=dict)
    body = models.JSONField(_("text"), default=dict, blank=True)  # sanitised HTML per language
    status = models.CharField(
        _("status"), max_length=16, choices=PageStatus.choices, default=PageStatus.DRAFT
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PageStatus.values), name="page_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.slug


class LinkPlace(models.TextChoices):
    HEADER = "header", _("Navigation bar")
    FOOTER = "footer", _("Footer")


class SiteLink(models.Model):
    """A link the city adds to its navigation bar or footer: to one of its pages or a URL."""

    place = models.CharField(_("where"), max_length=8, choices=LinkPlace.choices)
    label = models.JSONField(_("label"), default=dict)
    url = models.CharField(_("address"), max_length=500, blank=True)
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["place", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(place__in=LinkPlace.values), name="site_link_place_valid"
            ),
            # Exactly one target: a page of the city or an address.
            models.CheckConstraint(
                condition=(models.Q(page__isnull=False) & models.Q(url=""))
                | (models.Q(page__isnull=True) & ~models.Q(url="")),
                name="site_link_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place}: {self.url or self.page_id}"
