"""City-plane data. Lives in each city's schema; refers to control-plane rows by plain id only.

Text a city writes is stored per language ({"pl": "...", "en": "..."}) and read through
`ratusz.consultations.core.translation.translated`, which falls back to the city's default language.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import Func, Q
from django.utils.translation import gettext_lazy as _

from ratusz.tenants.uploads import UploadedDocumentField, UploadedImageField


class PortalSettings(models.Model):
    """The city's own settings for its portal: one row per city schema."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    # Plain id of the control-plane City row (no foreign key crosses the planes).
    city_id = models.BigIntegerField()
    welcome_title = models.JSONField(_("welcome title"), default=dict, blank=True)
    welcome_text = models.JSONField(_("welcome text"), default=dict, blank=True)
    primary_color = models.CharField(_("primary colour"), max_length=7, default="#1f4e8c")
    # The city's own switch per feature ({feature: bool}); a feature is on only when the plan
    # allows it too (ratusz.consultations.core.features). Missing means enabled, so cities that
    # never opened the Features page keep everything their plan allows.
    features_enabled = models.JSONField(_("features enabled"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("portal settings")
        verbose_name_plural = _("portal settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(singleton=True), name="portal_settings_singleton"
            ),
            models.CheckConstraint(
                condition=models.Q(primary_color__regex=r"^#[0-9a-fA-F]{6}$"),
                name="portal_settings_color_hex",
            ),
        ]

    def __str__(self) -> str:
        return f"portal settings (city {self.city_id})"


class Topic(models.Model):
    """A city-defined tag for projects and ideas."""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.JSONField(_("name"), default=dict)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.slug


class Area(models.Model):
    """A district or neighbourhood of the city."""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.JSONField(_("name"), default=dict)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.slug


class ResidentGroup(models.Model):
    """A group of accounts that may see or act in chosen projects and phases."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="resident_groups", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Folder(models.Model):
    """Projects grouped under one heading (e.g. a yearly participatory budget)."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PublicationStatus.choices, default="draft"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("folder")
        verbose_name_plural = _("folders")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.slug


class Visibility(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    GROUPS = "groups", _("Only chosen groups")


class Project(models.Model):
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)  # sanitised HTML
    cover_image = UploadedImageField(_("cover image"), upload_to="projects/", blank=True)
    cover_alt = models.JSONField(_("cover image description"), default=dict, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="projects")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL)
    folder = models.ForeignKey(
        Folder, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PublicationStatus.choices, default="draft"
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default="everyone"
    )
    visible_to = models.ManyToManyField(ResidentGroup, blank=True, related_name="projects")
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="managed_projects"
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["position", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PublicationStatus.values), name="project_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.slug


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class Phase(models.Model):
    """One step of a project's timeline, with one participation method.

    Phases of a project never overlap (an exclusion constraint holds it); only the last may be
    open-ended (services hold that, since it depends on the order of all phases).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phases")
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    method = models.CharField(_("participation method"), max_length=40)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"), null=True, blank=True)
    # Method settings (reaction mode, anonymous posting...) and who may take each action.
    options = models.JSONField(default=dict, blank=True)
    permissions = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="phase_ends_after_start",
            ),
            ExclusionConstraint(
                name="phase_no_overlap",
                expressions=[
                    ("project", RangeOperators.EQUAL),
                    (
                        TsTzRange("starts_at", "ends_at", models.Value("[)")),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.slug}: {self.method} from {self.starts_at:%Y-%m-%d}"


class ProjectFile(models.Model):
    """A document attached to a project or one of its phases (information phases mostly)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="files")
    phase = models.ForeignKey(
        Phase, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    title = models.JSONField(_("title"), default=dict)
    file = UploadedDocumentField(_("file"), upload_to="project-files/")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.file.name
