"""Onboarding records, in the public schema: sign-ups, one-time sign-in links, city templates,
partner organisations and the cities they set up.

Rows name their city by plain id (ARCHITECTURE.md §1): they describe how a city came to be and
who helps it, and some (partner attribution, for commissions) must outlive a removed city.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Signup(models.Model):
    """One submission of the "Create your city's portal" wizard that made a city."""

    city_id = models.BigIntegerField(_("city"), unique=True)
    # The wizard's hidden key: a second submission of the same form (a double click, a
    # resubmitted page) finds this row instead of making a second city.
    idempotency_key = models.UUIDField(unique=True)
    organisation_name = models.CharField(_("city or organisation"), max_length=200)
    population = models.PositiveIntegerField(_("approximate population"), null=True, blank=True)
    admin_name = models.CharField(_("administrator's name"), max_length=150)
    admin_email = models.EmailField(_("administrator's e-mail"))
    plan = models.CharField(_("plan"), max_length=40, blank=True)  # blank: free trial
    template = models.CharField(_("template"), max_length=60, blank=True)
    partner = models.ForeignKey(
        "onboarding.PartnerOrganisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signups",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    terms_accepted_at = models.DateTimeField(_("terms accepted"))
    created_at = models.DateTimeField(auto_now_add=True)
    # Until the administrator opened the link e-mailed to them, the portal is not public.
    confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation_name} ({self.city_id})"


class LinkPurpose(models.TextChoices):
    # Sent by e-mail; opening it also confirms the address.
    EMAIL = "email", _("E-mailed sign-in link")
    # Handed to the browser that just submitted the wizard (or to a partner opening a city):
    # carries the session across to the city's host, whose cookies are host-only.
    HANDOFF = "handoff", _("Browser hand-off")


class SignInLink(models.Model):
    """A one-time sign-in link into a city's account; only a hash of its token is stored."""

    city_id = models.BigIntegerField(_("city"), db_index=True)
    # The account in the city's schema (a plain id: it lives in another schema).
    user_id = models.BigIntegerField(_("account in the city"))
    purpose = models.CharField(max_length=16, choices=LinkPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    next_path = models.CharField(max_length=200, default="/admin/")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose__in=LinkPurpose.values), name="signin_link_purpose"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} link for account {self.user_id} in city {self.city_id}"


class CityTemplate(models.Model):
    """What a new city starts with: a project and its phases in draft, pages, statuses and
    topics. Built-in templates are seeded from code; operators save existing cities as new ones.
    `content` holds the city's own texts only, never residents or what they wrote."""

    code = models.SlugField(_("identifier"), max_length=60, unique=True)
    name: models.JSONField[dict[str, str], dict[str, str]] = models.JSONField(
        _("name"), default=dict
    )
    description: models.JSONField[dict[str, str], dict[str, str]] = models.JSONField(
        _("description"), default=dict, blank=True
    )
    content: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(
        _("content"), default=dict, blank=True
    )
    source_city_id = models.BigIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("city template")
        verbose_name_plural = _("city templates")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.code


class PartnerOrganisation(models.Model):
    """A consultancy that sets up and runs portals on behalf of municipalities."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    # Percent of what the partner's cities paid in a month that the partner earns.
    commission_rate = models.DecimalField(
        _("commission rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(commission_rate__gte=0, commission_rate__lte=100),
                name="partner_commission_rate_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PartnerMembership(models.Model):
    """A partner account (an account in the public schema with role "partner") and its
    organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_membership"
    )
    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="members"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner consultant")
        verbose_name_plural = _("partner consultants")

    def __str__(self) -> str:
        return f"{self.user_id} at {self.organisation_id}"


class PartnerInvitation(models.Model):
    """An invitation to join a partner organisation; only a hash of its token is stored."""

    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("partner invitation")
        verbose_name_plural = _("partner invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email


class PartnerAccess(models.TextChoices):
    ACTIVE = "active", _("Managing the portal")
    CONSULTANT = "consultant", _("Consultant after hand-over")
    ENDED = "ended", _("Handed over")
    REVOKED = "revoked", _("Revoked by the city")


class PartnerCity(models.Model):
    """A city a partner set up ("set up by partner"): kept for commissions even after the
    partner's access ends, which only changes `access`."""

    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="cities"
    )
    city_id = models.BigIntegerField(_("city"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    access = models.CharField(
        _("access"), max_length=16, choices=PartnerAccess.choices, default=PartnerAccess.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    access_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("city set up by a partner")
        verbose_name_plural = _("cities set up by partners")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["city_id"], name="partner_city_one_partner"),
            models.CheckConstraint(
                condition=models.Q(access__in=PartnerAccess.values), name="partner_city_access"
            ),
        ]

    def __str__(self) -> str:
        return f"city {self.city_id} by {self.organisation_id}"

    @property
    def has_access(self) -> bool:
        return self.access in (PartnerAccess.ACTIVE, PartnerAccess.CONSULTANT)
