"""The city registry: cities (one PostgreSQL schema each) and the host names they answer on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin


class CityStatus(models.TextChoices):
    TRIAL = "trial", _("Trial")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ARCHIVED = "archived", _("Archived")


class City(TenantMixin):
    # Field types are spelled out: TenantMixin is untyped, which hides them from mypy.
    # Schemas are created by ratusz.tenants.provisioning, never as a side effect of save().
    auto_create_schema = False
    auto_drop_schema = False

    slug: models.SlugField[str, str] = models.SlugField(_("subdomain"), max_length=40, unique=True)
    name: models.CharField[str, str] = models.CharField(_("name"), max_length=200)
    country: models.CharField[str, str] = models.CharField(_("country"), max_length=2, default="PL")
    default_language: models.CharField[str, str] = models.CharField(
        _("default language"), max_length=8, default="pl"
    )
    languages: ArrayField[list[str], list[str]] = ArrayField(
        models.CharField(max_length=8), verbose_name=_("languages")
    )
    time_zone: models.CharField[str, str] = models.CharField(
        _("time zone"), max_length=64, default="Europe/Warsaw"
    )
    status: models.CharField[str, str] = models.CharField(
        _("status"), max_length=16, choices=CityStatus.choices, default=CityStatus.TRIAL
    )
    # What the city may use, written by the control plane (billing sets the plan and its limits,
    # operators override features and limits); read through ratusz.tenants.entitlements.
    plan: models.CharField[str, str] = models.CharField(_("plan"), max_length=40, blank=True)
    limits: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(
        _("limits"), default=dict, blank=True
    )
    features: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(
        _("features allowed"), default=dict, blank=True
    )
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(
        _("created"), auto_now_add=True
    )
    updated_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(
        _("updated"), auto_now=True
    )

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CityStatus.values), name="city_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(slug__regex=r"^[a-z0-9]([a-z0-9-]{1,38})[a-z0-9]$"),
                name="city_slug_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"


class Domain(DomainMixin):
    # Annotated because DomainMixin is untyped, which hides the field types from mypy.
    # A custom domain a city adds serves only once it resolves to us (verified_at is set);
    # subdomains of BASE_DOMAIN are verified when created.
    verified_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        _("verified"), null=True, blank=True
    )
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(
        _("created"), auto_now_add=True
    )

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        constraints = [
            # At most one primary domain per city.
            models.UniqueConstraint(
                fields=["tenant"],
                condition=models.Q(is_primary=True),
                name="domain_one_primary_per_city",
            ),
            models.UniqueConstraint(Lower("domain"), name="domain_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.domain


class SchemaBlueprint(models.Model):
    """The DDL of the template schema at one migration state, rendered once and reused.

    Provisioning a city executes this script instead of replaying migrations.
    """

    state = models.CharField(max_length=64, unique=True)
    ddl = models.TextField()
    tables = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"blueprint {self.state[:12]} ({self.tables} tables)"
