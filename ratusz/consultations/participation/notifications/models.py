"""What happened to ideas a person is involved in, and how they want to hear about it.

A notification is always recorded for the portal's notifications page; the person's preference
only decides the e-mails (at once, once a day, or never).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.methods.ideation.models import Comment, Idea, StatusChange


class Kind(models.TextChoices):
    STATUS_CHANGED = "status_changed", _("The city changed the status of an idea")
    COMMENT_ADDED = "comment_added", _("A new comment on an idea")
    COMMENT_REPLY = "comment_reply", _("A reply to your comment")
    # For the project's moderators (administrators and its project managers):
    CONTENT_REPORTED = "content_reported", _("Someone reported an idea or a comment")
    CONTENT_HELD = "content_held", _("The word filter held an idea or a comment for review")


class Frequency(models.TextChoices):
    INSTANT = "instant", _("At once, one e-mail for each notification")
    DAILY = "daily", _("Once a day, a summary of the day")
    NONE = "none", _("Never, I will look at the notifications page")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status_change = models.ForeignKey(
        StatusChange, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    report = models.ForeignKey(
        "moderation.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Who caused it (the commenter, the staff member); never the recipient.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once the notification went out by e-mail, alone or in a digest: never sent twice.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="notification_kind_valid"
            ),
            # One notification per person per comment (and kind: a moderator may hear that a
            # comment was held, then that it was added), per status change, per report.
            models.UniqueConstraint(
                fields=["recipient", "comment", "kind"],
                condition=Q(comment__isnull=False, report__isnull=True),
                name="notification_once_per_comment_kind",
            ),
            models.UniqueConstraint(
                fields=["recipient", "report"],
                condition=Q(report__isnull=False),
                name="notification_once_per_report",
            ),
            models.UniqueConstraint(
                fields=["recipient", "idea"],
                condition=Q(kind="content_held", comment__isnull=True),
                name="notification_once_per_held_idea",
            ),
            models.UniqueConstraint(
                fields=["recipient", "status_change"],
                condition=Q(status_change__isnull=False),
                name="notification_once_per_status_change",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on idea {self.idea_id} for {self.recipient_id}"


class NotificationPreference(models.Model):
    """How a person wants to be e-mailed; no row means the default, at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    frequency = models.CharField(
        _("e-mail me"), max_length=16, choices=Frequency.choices, default=Frequency.INSTANT
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="notification_frequency_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.frequency}"
