"""The operator console's records: the audit log, fleet migration runs and city exports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One operator action. Append-only: the database refuses UPDATE and DELETE (see the
    migration `0002_audit_append_only`), so not even a bug in our code can rewrite history.

    Cities are referred to by plain id and slug: the entry outlives a purged city.
    """

    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(
        _("when"), auto_now_add=True, db_index=True
    )
    actor_id: models.BigIntegerField[int | None, int | None] = models.BigIntegerField(
        _("operator id"), null=True, blank=True
    )
    actor_email: models.CharField[str, str] = models.CharField(
        _("operator"), max_length=254, blank=True
    )
    city_id: models.BigIntegerField[int | None, int | None] = models.BigIntegerField(
        _("city id"), null=True, blank=True
    )
    city_slug: models.CharField[str, str] = models.CharField(_("city"), max_length=40, blank=True)
    action: models.CharField[str, str] = models.CharField(_("action"), max_length=64)
    before: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(
        _("before"), default=dict, blank=True
    )
    after: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(
        _("after"), default=dict, blank=True
    )
    reason: models.TextField[str, str] = models.TextField(_("reason"), blank=True)
    ip_address: models.GenericIPAddressField[str | None, str | None] = models.GenericIPAddressField(
        _("IP address"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["city_id", "-created_at"], name="audit_city_recent"),
            models.Index(fields=["action"], name="audit_action"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.city_slug}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class FleetMigration(models.Model):
    """A run of the schema migrations over the fleet, started from the console."""

    started_by_id: models.BigIntegerField[int | None, int | None] = models.BigIntegerField(
        null=True, blank=True
    )
    started_by_email: models.CharField[str, str] = models.CharField(max_length=254, blank=True)
    status: models.CharField[str, str] = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(auto_now_add=True)
    finished_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        null=True, blank=True
    )
    error: models.TextField[str, str] = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"fleet migration {self.pk} ({self.status})"


class FleetMigrationCity(models.Model):
    """One city's progress in a fleet migration."""

    run: models.ForeignKey[FleetMigration, FleetMigration] = models.ForeignKey(
        FleetMigration, on_delete=models.CASCADE, related_name="cities"
    )
    city_id: models.BigIntegerField[int, int] = models.BigIntegerField()
    city_slug: models.CharField[str, str] = models.CharField(max_length=40)
    schema_name: models.CharField[str, str] = models.CharField(max_length=63)
    status: models.CharField[str, str] = models.CharField(
        max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    error: models.TextField[str, str] = models.TextField(blank=True)
    applied: models.JSONField[list[str], list[str]] = models.JSONField(default=list, blank=True)
    seconds: models.FloatField[float, float] = models.FloatField(default=0.0)
    updated_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["city_slug"]
        constraints = [
            models.UniqueConstraint(fields=["run", "city_id"], name="fleet_migration_city_once")
        ]

    def __str__(self) -> str:
        return f"{self.city_slug}: {self.status}"


class CityExport(models.Model):
    """An archive of one city (its schema's rows and its files), downloadable for a while."""

    city_id: models.BigIntegerField[int, int] = models.BigIntegerField()
    city_slug: models.CharField[str, str] = models.CharField(max_length=40)
    requested_by_id: models.BigIntegerField[int | None, int | None] = models.BigIntegerField(
        null=True, blank=True
    )
    status: models.CharField[str, str] = models.CharField(
        max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    path: models.CharField[str, str] = models.CharField(max_length=500, blank=True)
    size: models.BigIntegerField[int, int] = models.BigIntegerField(default=0)
    sha256: models.CharField[str, str] = models.CharField(max_length=64, blank=True)
    error: models.TextField[str, str] = models.TextField(blank=True)
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(auto_now_add=True)
    finished_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        null=True, blank=True
    )
    expires_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export of {self.city_slug} ({self.status})"
