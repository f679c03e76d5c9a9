"""Volunteering: causes within a phase that residents sign up for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.models import Phase, Project
from ratusz.consultations.core.translation import translated


class Cause(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="causes")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="causes")
    # Written by the city: one value per city language (ratusz.consultations.core.translation).
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)  # sanitised HTML
    needed = models.PositiveIntegerField(_("volunteers needed"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cause")
        verbose_name_plural = _("causes")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(needed__gt=0), name="cause_needs_someone"),
        ]

    def __str__(self) -> str:
        return translated(self.title, "") or f"cause {self.pk}"


class SignUp(models.Model):
    cause = models.ForeignKey(Cause, on_delete=models.CASCADE, related_name="sign_ups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteering"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cause", "user"], name="one_sign_up_per_person"),
        ]

    def __str__(self) -> str:
        return f"sign-up for cause {self.cause_id}"
