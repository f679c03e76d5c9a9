"""Validation of the dashboard's filters and of an export request."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.models import Project
from ratusz.consultations.core.translation import translated
from ratusz.consultations.reports import registry
from ratusz.consultations.reports.models import ExportFormat

DEFAULT_DAYS = 30
MAX_DAYS = 5 * 366  # five years
MAX_DAILY_BUCKETS = 366


def _project_choices(projects: list[Project], default_language: str) -> list[tuple[str, object]]:
    return [("", _("All my projects"))] + [
        (p.slug, translated(p.title, default_language) or p.slug) for p in projects
    ]


class DashboardFilterForm(forms.Form):
    """Dates (in the city's calendar), a project of the viewer's, and the period length."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    project = forms.ChoiceField(
        label=_("Project"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of your projects.")},
    )
    interval = forms.ChoiceField(
        label=_("Count per"),
        required=False,
        choices=[
            ("", _("Automatic")),
            ("day", _("Day")),
            ("week", _("Week")),
            ("month", _("Month")),
        ],
    )

    def __init__(
        self, data: Any, *, projects: list[Project], today: date, default_language: str
    ) -> None:
        super().__init__(data)
        self.projects = {p.slug: p for p in projects}
        self.today = today
        self.fields["project"].choices = _project_choices(projects, default_language)  # type: ignore[attr-defined]  # a ChoiceField

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end = data.get("end") or self.today
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            self.add_error("end", _("The end date must be on or after the start date."))
            return data
        days = (end - start).days + 1
        if days > MAX_DAYS:
            self.add_error("start", _("Choose a period of at most five years."))
            return data
        interval = data.get("interval") or (
            "day" if days <= 62 else "week" if days <= 366 else "month"
        )
        if interval == "day" and days > MAX_DAILY_BUCKETS:
            self.add_error(
                "interval", _("Too many days to count one by one: choose weeks or months.")
            )
            return data
        data.update(
            start=start,
            end=end,
            interval=interval,
            project=self.projects.get(data.get("project") or ""),
        )
        return data


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Data"), widget=forms.RadioSelect)
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=ExportFormat.choices,
        initial=ExportFormat.XLSX,
        widget=forms.RadioSelect,
    )
    project = forms.ChoiceField(
        label=_("Project"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of your projects.")},
    )

    def __init__(
        self,
        data: Any = None,
        *,
        projects: list[Project],
        administrator: bool,
        default_language: str,
    ) -> None:
        super().__init__(data)
        self.projects = {p.slug: p for p in projects}
        self.fields["kind"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            (d.key, d.label)
            for d in registry.datasets()
            if d.allowed_for(administrator=administrator)
        ]
        self.fields["kind"].error_messages["invalid_choice"] = _(
            "Choose what to export from the list."
        )
        self.fields["project"].choices = _project_choices(projects, default_language)  # type: ignore[attr-defined]  # a ChoiceField

    def clean_project(self) -> Project | None:
        return self.projects.get(self.cleaned_data.get("project") or "")
