"""City-plane data of polls: quick questions inside a phase, their choices, and one vote per
account per poll (the database holds it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.models import Phase


class Poll(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="polls")
    question = models.JSONField(_("question"), default=dict)
    multiple = models.BooleanField(_("several answers allowed"), default=False)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"poll {self.pk}"


class PollChoice(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="choices")
    label = models.JSONField(_("answer"), default=dict)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"choice {self.pk} of poll {self.poll_id}"


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_votes"
    )
    choices = models.ManyToManyField(PollChoice, related_name="votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("poll vote")
        verbose_name_plural = _("poll votes")
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="poll_one_vote_per_account"),
        ]

    def __str__(self) -> str:
        return f"vote {self.pk} in poll {self.poll_id}"
