"""Reports from residents, blocks, and the city's word filter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """A resident's report of an idea or a comment; staff resolve it in the moderation queue."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        OFFENSIVE = "offensive", _("Offensive or hateful")
        PERSONAL_DATA = "personal_data", _("Reveals personal data")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Something else")

    idea = models.ForeignKey(
        "ideation.Idea", null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    comment = models.ForeignKey(
        "ideation.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    explanation = models.TextField(_("explanation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=20, blank=True)  # "hidden" | "kept"

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(idea__isnull=False, comment__isnull=True)
                | Q(idea__isnull=True, comment__isnull=False),
                name="report_targets_one_thing",
            ),
            models.UniqueConstraint(
                fields=["idea", "reporter"],
                condition=Q(resolved_at__isnull=True, idea__isnull=False),
                name="one_open_report_per_idea_and_person",
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(resolved_at__isnull=True, comment__isnull=False),
                name="one_open_report_per_comment_and_person",
            ),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} ({self.reason})"


class Block(models.Model):
    """A resident may not post, comment or react until `until` (or for good when empty)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    reason = models.TextField(_("reason"))
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"block of user {self.user_id}"


class FilteredWord(models.Model):
    """A word or phrase that holds a post for review instead of publishing it."""

    language = models.CharField(max_length=8)
    term = models.CharField(_("word or phrase"), max_length=100)

    class Meta:
        verbose_name = _("filtered word")
        verbose_name_plural = _("filtered words")
        ordering = ["language", "term"]
        constraints = [
            models.UniqueConstraint(fields=["language", "term"], name="filtered_word_unique"),
        ]

    def __str__(self) -> str:
        return self.term


class ModerationAction(models.Model):
    """Who did what in moderation, and when: the log staff and administrators can review."""

    class Kind(models.TextChoices):
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        DISMISS = "dismiss", _("Reports dismissed")
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        BLOCK = "block", _("Resident blocked")
        UNBLOCK = "unblock", _("Block lifted")
        WORD_FILTER = "word_filter", _("Word filter changed")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What was acted on; the log outlives the content, so these are emptied, not cascaded.
    project = models.ForeignKey(
        "consultations.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
    )
    idea = models.ForeignKey(
        "ideation.Idea", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        "ideation.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} by user {self.actor_id}"
