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
    # The status a suspended or archived city returns to when it is reactivated: closing and
    # reopening a city never decides whether it pays (a trial stays a trial, with its end
    # date; billing's own state is billing's). Blank on a city that is open.
    resumes_as: models.CharField[str, str] = models.CharField(
        _("status when reactivated"),
        max_length=16,
        choices=[
            (CityStatus.TRIAL, CityStatus.TRIAL.label),
            (CityStatus.ACTIVE, CityStatus.ACTIVE.label),
        ],
        blank=True,
    )
    # The status a soft-deleted city had when it was deleted, and returns to when restored:
    # deletion closes the city (suspended, so its portal and tasks stop) but restoring undoes
    # it, an archived city comes back archived. Blank on a city that is not deleted.
    restores_as: models.CharField[str, str] = models.CharField(
        _("status when restored"), max_length=16, choices=CityStatus.choices, blank=True
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
    # Until set, residents see a "coming soon" page: a city that signed up by itself opens once
    # its administrator confirmed their e-mail address (staff pages work before that).
    opened_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        _("open to the public since"), null=True, blank=True
    )
    # Soft deletion: the portal is closed at once and the city is purged (schema, files,
    # domains) once the grace period has passed, unless an operator restores it before.
    deleted_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        _("deleted"), null=True, blank=True
    )
    purge_after: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        _("purged after"), null=True, blank=True
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
                condition=models.Q(resumes_as__in=["", CityStatus.TRIAL, CityStatus.ACTIVE]),
                name="city_resumes_as_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(restores_as__in=["", *CityStatus.values]),
                name="city_restores_as_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(slug__regex=r"^[a-z0-9]([a-z0-9-]{1,38})[a-z0-9]$"),
                name="city_slug_format",
            ),
            models.CheckConstraint(
                condition=models.Q(deleted_at__isnull=True, purge_after__isnull=True)
                | models.Q(deleted_at__isnull=False, purge_after__isnull=False),
                name="city_deleted_with_purge_date",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="city_status_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"


class Domain(DomainMixin):
    # Annotated because DomainMixin is untyped, which hides the field types from mypy.
    # A custom domain a city adds serves only once the city proved it owns it (verified_at is
    # set; ratusz.tenants.domains); subdomains of BASE_DOMAIN are verified when created.
    # Not unique by itself: two cities may both claim a name they have not proved yet; only
    # one verified row per name can exist (the constraint below), and routing reads only those.
    domain: models.CharField[str, str] = models.CharField(
        _("domain"), max_length=253, db_index=True
    )
    # The random value the city publishes in a TXT record to prove it owns the domain; one per
    # city and domain, so one city's record never proves another city's claim.
    verification_token: models.CharField[str, str] = models.CharField(max_length=64, blank=True)
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
            # One verified city per name (whatever its case): the one that proved it owns it.
            models.UniqueConstraint(
                Lower("domain"),
                condition=models.Q(verified_at__isnull=False),
                name="domain_verified_unique_ci",
            ),
            # A city claims a name once.
            models.UniqueConstraint(Lower("domain"), "tenant", name="domain_unique_per_city_ci"),
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


class SlugRedirect(models.Model):
    """A host a city answered on before its subdomain was renamed: it redirects for good."""

    host: models.CharField[str, str] = models.CharField(_("old host"), max_length=253, unique=True)
    city: models.ForeignKey[City, City] = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="slug_redirects"
    )
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("old subdomain")
        verbose_name_plural = _("old subdomains")

    def __str__(self) -> str:
        return f"{self.host} -> city {self.city_id}"


class SupportGrant(models.Model):
    """An operator's time-limited entry into a city's back office, given for a reason.

    Only a hash of the one-time link's token is stored. The city's administrators see every
    grant through `ratusz.tenants.support.support_visits`.
    """

    city: models.ForeignKey[City, City] = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="support_grants"
    )
    # Operators are control-plane accounts; referred to by plain id (no cross-plane FK needed,
    # but the row must outlive the account for the record).
    operator_id: models.BigIntegerField[int, int] = models.BigIntegerField(_("operator"))
    operator_email: models.EmailField[str, str] = models.EmailField(_("operator's e-mail"))
    reason: models.TextField[str, str] = models.TextField(_("reason"))
    token_hash: models.CharField[str, str] = models.CharField(max_length=64, unique=True)
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(
        _("granted"), auto_now_add=True
    )
    expires_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(_("expires"))
    used_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        _("entered"), null=True, blank=True
    )
    ended_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        _("ended"), null=True, blank=True
    )
    # The e-mail of the temporary account made in the city's schema for this visit.
    city_account_email: models.CharField[str, str] = models.CharField(max_length=254, blank=True)

    class Meta:
        verbose_name = _("support access")
        verbose_name_plural = _("support accesses")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="support_grant_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"support for city {self.city_id} by {self.operator_email}"


class AnnouncementLevel(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")


class Announcement(models.Model):
    """A banner the operators broadcast to every city portal or to a chosen set of cities."""

    message: models.JSONField[dict[str, str], dict[str, str]] = models.JSONField(
        _("message"), help_text=_("One text per language code.")
    )
    level: models.CharField[str, str] = models.CharField(
        _("level"), max_length=16, choices=AnnouncementLevel.choices, default=AnnouncementLevel.INFO
    )
    all_cities: models.BooleanField[bool, bool] = models.BooleanField(_("all cities"), default=True)
    city_ids: ArrayField[list[int], list[int]] = ArrayField(
        models.BigIntegerField(), verbose_name=_("cities"), default=list, blank=True
    )
    starts_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(_("shown from"))
    ends_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(_("shown until"))
    created_by_id: models.BigIntegerField[int | None, int | None] = models.BigIntegerField(
        null=True, blank=True
    )
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(auto_now_add=True)
    withdrawn_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        _("withdrawn"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="announcement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=AnnouncementLevel.values),
                name="announcement_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return next(iter(self.message.values()), "")[:60]

    def text_for(self, language: str, fallback: str = "en") -> str:
        return (
            self.message.get(language)
            or self.message.get(fallback)
            or next(iter(self.message.values()), "")
        )


class SpareSchema(models.Model):
    """A schema built ahead of time from the blueprint at `state`, waiting to become a city:
    provisioning renames it into place instead of creating ~100 relations while someone waits.
    Spares of an older state are dropped and rebuilt (ratusz.tenants.spares)."""

    name = models.CharField(max_length=63, unique=True)
    state = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # Slugs start with a letter or digit, so no city's schema can take these names.
            models.CheckConstraint(
                condition=models.Q(name__startswith="_spare_"), name="spare_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UnqueuedTask(models.Model):
    """A task that could not be queued because the broker was unavailable, kept until the
    periodic sweep (ratusz.tenants.queue.requeue_unqueued_tasks) queues it with the same
    headers, so that it still runs in the city that asked for it. A control-plane table: the
    city is named in `headers` (schema and registry id), never by a key into its schema."""

    name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.headers}"
