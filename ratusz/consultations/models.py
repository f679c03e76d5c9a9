"""City-plane data. Lives in each city's schema; refers to control-plane rows by plain id only."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PortalSettings(models.Model):
    """The city's own settings for its portal: one row per city schema."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    # Plain id of the control-plane City row (no foreign key crosses the planes).
    city_id = models.BigIntegerField()
    welcome_title = models.JSONField(_("welcome title"), default=dict, blank=True)
    welcome_text = models.JSONField(_("welcome text"), default=dict, blank=True)
    primary_color = models.CharField(_("primary colour"), max_length=7, default="#1f4e8c")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("portal settings")
        verbose_name_plural = _("portal settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(singleton=True), name="portal_settings_singleton"
            ),
            models.CheckConstraint(
                condition=models.Q(primary_color__regex=r"^#[0-9a-fA-F]{6}$"),
                name="portal_settings_color_hex",
            ),
        ]

    def __str__(self) -> str:
        return f"portal settings (city {self.city_id})"
