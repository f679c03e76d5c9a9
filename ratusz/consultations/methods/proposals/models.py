"""Citizen initiatives: residents submit proposals that collect support within a deadline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.models import Phase, Project


class ProposalStatus(models.TextChoices):
    COLLECTING = "collecting", _("Collecting support")
    THRESHOLD_REACHED = "threshold_reached", _("Threshold reached")
    EXPIRED = "expired", _("Expired")
    # The city's answers, set by staff with an official answer:
    UNDER_REVIEW = "under_review", _("Under review by the city")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Proposal(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="proposals")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="proposals")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("description"))  # sanitised HTML
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.COLLECTING
    )
    # Copied from the phase when submitted, so a later change of settings is not retroactive.
    threshold = models.PositiveIntegerField()
    deadline = models.DateTimeField(db_index=True)
    supporter_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # threshold reached or expired

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(threshold__gt=0), name="proposal_threshold_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_supports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_support_per_person"),
        ]

    def __str__(self) -> str:
        return f"support of proposal {self.proposal_id}"


class ProposalStatusChange(models.Model):
    """The history of a proposal's statuses, with the city's official answer when staff set it
    (the periodic task's changes have no answer and nobody who answered)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=20, choices=ProposalStatus.choices)
    answer = models.TextField(_("official answer"), blank=True)  # sanitised HTML
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"proposal {self.proposal_id} -> {self.status}"
