"""The dashboard's content: figures from the selectors turned into charts, the same for the
page and for each chart's CSV download."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.core.charts import Chart
from ratusz.consultations.core.models import Project
from ratusz.consultations.core.translation import translated
from ratusz.consultations.people.models import FieldKind
from ratusz.consultations.people.selectors import (
    active_fields,
    field_distribution,
    reference_shares,
)
from ratusz.consultations.reports.registry import Scope
from ratusz.consultations.reports.selectors import (
    Feedback,
    Participation,
    answered_share,
    feedback,
    participation,
    scope_for,
)


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    project: Project | None
    start: date
    end: date
    interval: str
    participation: Participation
    feedback: Feedback
    charts: list[Chart]

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)


def format_duration(value: timedelta | None) -> str:
    """ "3 days 4 hours", "5 hours", "under an hour"; "—" without a value."""
    if value is None:
        return "—"
    days, hours = value.days, value.seconds // 3600
    if days and hours:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    if days:
        return _("%(days)s d") % {"days": days}
    if hours:
        return _("%(hours)s h") % {"hours": hours}
    return _("under an hour")


def format_share(share: float | None) -> str:
    return "—" if share is None else f"{formats.number_format(round(share * 100), 0)} %"


def _interval_heading(interval: str) -> str:
    return {"day": _("Day"), "week": _("Week starting"), "month": _("Month")}[interval]


def build_dashboard(
    *,
    user: User,
    project: Project | None,
    start: date,
    end: date,
    interval: str,
    time_zone: str,
    default_language: str,
) -> Dashboard:
    scope = scope_for(user, project=project, time_zone=time_zone, default_language=default_language)
    over_time = participation(scope=scope, start=start, end=end, interval=interval)
    answers = feedback(scope=scope)
    charts: list[Chart] = []
    for series in over_time.series:
        charts.append(
            Chart(
                key=series.key,
                title=series.label,
                label_heading=_interval_heading(interval),
                value_heading=series.label,
                labels=over_time.labels,
                values=[float(v) for v in series.values],
                kind="line" if series.key == "participants" else "bar",
                description=series.note,
            )
        )
    charts.append(
        Chart(
            key="statuses",
            title=_("Published ideas per status"),
            label_heading=_("Status"),
            value_heading=_("Ideas"),
            labels=[s.name for s in answers.statuses],
            values=[float(s.ideas) for s in answers.statuses],
            kind="hbar",
        )
    )
    shares = [answered_share(p.figures) for p in answers.projects]
    charts.append(
        Chart(
            key="answered",
            title=_("Share of published ideas with an official answer, per project"),
            label_heading=_("Project"),
            value_heading=_("Answered (%)"),
            labels=[p.title for p in answers.projects],
            values=[round((s or 0) * 100, 1) for s in shares],
            formatted=[format_share(s) for s in shares],
            kind="hbar",
        )
    )
    charts += who_takes_part(scope)
    return Dashboard(scope, project, start, end, interval, over_time, answers, charts)


def chart_csv_rows(chart: Chart) -> list[list[Any]]:
    """The chart's table as CSV rows: a heading row, then one row per label."""
    headings = [chart.label_heading, chart.value_heading]
    if chart.reference is not None:
        headings.append(chart.reference_heading)
    rows: list[list[Any]] = [headings]
    for i, (label, value, _shown) in enumerate(chart.rows):
        row: list[Any] = [label, int(value) if float(value).is_integer() else value]
        if chart.reference is not None:
            row.append("" if chart.reference[i] is None else chart.reference[i])
        rows.append(row)
    return rows


def who_takes_part(scope: Scope) -> list[Chart]:
    """For each single-choice registration field: the share of registered people per answer,
    next to the city's own population share where the city gave it. City-wide figures, so
    only for the whole city (an administrator without a project filter)."""
    if not scope.whole_city:
        return []

    charts = []
    for registration_field in active_fields().filter(kind=FieldKind.CHOICE):
        counts = field_distribution(registration_field.key)
        references = reference_shares(registration_field.key)
        labels = {
            o.value: translated(o.label, scope.default_language) or o.value
            for o in registration_field.options.all()
        }
        answered = sum(counts.values())
        shares = [round(100 * n / answered, 1) if answered else 0.0 for n in counts.values()]
        name = (
            translated(registration_field.label, scope.default_language) or registration_field.key
        )
        charts.append(
            Chart(
                key=f"field-{registration_field.key}",
                title=_("%(field)s: registered people and the city") % {"field": name},
                label_heading=name,
                value_heading=_("Registered people (%)"),
                labels=[labels.get(v, v) for v in counts],
                values=shares,
                formatted=[
                    f"{_number_text(s)} % ({n})"
                    for s, n in zip(shares, counts.values(), strict=True)
                ],
                kind="hbar",
                description=_(
                    "Bars: share of the %(count)s people who answered; dashed marks: the "
                    "city's population."
                )
                % {"count": answered},
                reference_heading=_("City population (%)"),
                reference=[references.get(v) for v in counts],
            )
        )
    return charts


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def today_in(time_zone: str, now: datetime) -> date:
    from zoneinfo import ZoneInfo

    return now.astimezone(ZoneInfo(time_zone)).date()
