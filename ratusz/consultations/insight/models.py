"""Themes found in what people said in a project: one analysis run at a time, its themes, and
which ideas and comments each theme holds. City-plane data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.models import Project
from ratusz.consultations.methods.ideation.models import Comment, Idea


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ThemeRun(models.Model):
    """One analysis of a project; the themes on show are those of its latest finished run."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="theme_runs")
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    documents = models.PositiveIntegerField(default=0)  # ideas and comments analysed
    clusters = models.PositiveIntegerField(default=0)
    silhouette = models.FloatField(null=True, blank=True)
    kept_names = models.PositiveIntegerField(default=0)  # staff names carried over
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("theme analysis")
        verbose_name_plural = _("theme analyses")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values), name="theme_run_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"themes of {self.project_id}: {self.status}"


class Theme(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="themes")
    run = models.ForeignKey(ThemeRun, null=True, on_delete=models.SET_NULL, related_name="themes")
    # Staff's name; empty means "named by its top words".
    name = models.CharField(_("name"), max_length=120, blank=True)
    # [[word, weight], ...], strongest first.
    top_words = models.JSONField(default=list)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name or ", ".join(self.words[:3])

    @property
    def words(self) -> list[str]:
        return [str(word) for word, _weight in self.top_words]

    @property
    def display_name(self) -> str:
        return self.name or ", ".join(self.words[:3])


class ThemeMember(models.Model):
    """An idea or a comment in a theme (exactly one of the two)."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="members")
    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(idea__isnull=False) & Q(comment__isnull=True))
                | (Q(idea__isnull=True) & Q(comment__isnull=False)),
                name="theme_member_idea_or_comment",
            ),
            models.UniqueConstraint(
                fields=["theme", "idea"], condition=Q(idea__isnull=False), name="theme_idea_once"
            ),
            models.UniqueConstraint(
                fields=["theme", "comment"],
                condition=Q(comment__isnull=False),
                name="theme_comment_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} in theme {self.theme_id}"

    @property
    def key(self) -> str:
        """ "i12" or "c40": how runs compare memberships."""
        return f"i{self.idea_id}" if self.idea_id is not None else f"c{self.comment_id}"
