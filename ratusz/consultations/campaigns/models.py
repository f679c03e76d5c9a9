"""E-mail campaigns, their per-person deliveries, campaign opt-outs, and the city's versions of
the automatic e-mails. City-plane data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.models import Project, ResidentGroup


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone with an account")
    GROUP = "group", _("The members of a group")
    PROJECT = "project", _("The participants of a project")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class Campaign(models.Model):
    # One value per city language ({"pl": ..., "en": ...}); the body is sanitised HTML.
    subject = models.JSONField(_("subject"), default=dict)
    body = models.JSONField(_("message"), default=dict)
    audience = models.CharField(
        _("recipients"), max_length=16, choices=Audience.choices, default=Audience.EVERYONE
    )
    group = models.ForeignKey(
        ResidentGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When an administrator pressed "send" (counts towards the monthly limit), and when the
    # last batch finished. The counts are copied from the deliveries when it finishes.
    queued_at = models.DateTimeField(null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("e-mail campaign")
        verbose_name_plural = _("e-mail campaigns")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="campaign_audience_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CampaignStatus.values), name="campaign_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"campaign {self.pk} ({self.status})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")


class Delivery(models.Model):
    """One person's copy of a campaign. The unique pair is what keeps a retried task from
    e-mailing anyone twice: a row leaves "pending" in the same transaction that sends."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    reason = models.CharField(max_length=32, blank=True)  # why it was skipped
    language = models.CharField(max_length=8, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="delivery_once_per_person"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["campaign"],
                condition=Q(status="pending"),
                name="delivery_pending",
            )
        ]

    def __str__(self) -> str:
        return f"campaign {self.campaign_id} to {self.user_id}: {self.status}"


class CampaignOptOut(models.Model):
    """A person who asked for no more campaigns (notification e-mails are a separate choice)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="campaign_opt_out",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign opt-out")
        verbose_name_plural = _("campaign opt-outs")

    def __str__(self) -> str:
        return f"{self.user_id} opted out of campaigns"


class AutomaticEmail(models.TextChoices):
    WELCOME = "welcome", _("Welcome to a new account")
    STATUS_CHANGED = "status_changed", _("The status of an idea changed")
    DAILY_DIGEST = "daily_digest", _("Daily summary of notifications")


class EmailTemplate(models.Model):
    """The city's own wording of an automatic e-mail: subject and body per language, with
    placeholders only (see placeholders.py); no row means the built-in wording."""

    kind = models.CharField(max_length=32, choices=AutomaticEmail.choices, unique=True)
    subject = models.JSONField(_("subject"), default=dict)
    body = models.JSONField(_("message"), default=dict)  # sanitised HTML with placeholders
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("automatic e-mail")
        verbose_name_plural = _("automatic e-mails")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AutomaticEmail.values), name="email_template_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.kind
