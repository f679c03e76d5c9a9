"""Services and selectors of the reports area: figures over time in the city's time zone, the
feedback loop, safe files, and exports made by the same task code a worker runs."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from openpyxl import load_workbook

from ratusz.consultations.core.charts import Chart, nice_ceiling, svg
from ratusz.consultations.core.export_files import safe_cell, write_csv, write_xlsx
from ratusz.consultations.methods.ideation.models import Comment, Idea, Reaction
from ratusz.consultations.methods.ideation.selectors import answer_figures
from ratusz.consultations.reports import registry, services
from ratusz.consultations.reports.models import Export, ExportStatus
from ratusz.consultations.reports.selectors import (
    bucket_starts,
    feedback,
    participation,
    scope_for,
)
from ratusz.consultations.reports.tasks import make_export
from ratusz.tenants.queue import CITY_HEADER
from tests.consultations.conftest import make_project

WARSAW = "Europe/Warsaw"


def scope(user, project=None):
    return scope_for(user, project=project, time_zone=WARSAW, default_language="pl")


def read_csv(name: str) -> list[list[str]]:
    with default_storage.open(name, "rb") as handle:
        text = handle.read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def read_xlsx(name: str) -> dict[str, list[list[object]]]:
    with default_storage.open(name, "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    return {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book}


def run(export: Export, city) -> Export:
    """Run the export task in-process, with the city header a queued message carries."""
    make_export.apply(args=(export.pk,), headers={CITY_HEADER: city.schema})
    export.refresh_from_db()
    return export


# --- files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+48 123", "'+48 123"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("zwykły tekst", "zwykły tekst"),
        (-5, -5),
        (None, ""),
    ],
)
def test_cells_that_would_run_as_formulas_are_escaped(value, expected):
    assert safe_cell(value) == expected


def test_csv_and_xlsx_writers_escape_formulas_and_keep_polish_letters():
    rows = [["=cmd|' /C calc'!A0", "Łódź", 3]]
    content, written = write_csv(headers=["a", "b", "c"], rows=rows)
    assert written == 1
    assert content.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert parsed == [["a", "b", "c"], ["'=cmd|' /C calc'!A0", "Łódź", "3"]]
    content, written = write_xlsx(headers=["a", "b", "c"], rows=rows, title="Dane")
    sheet = load_workbook(io.BytesIO(content))["Dane"]
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0"
    assert sheet["A2"].data_type == "s"  # text, not a formula
    assert sheet["C2"].value == 3


def test_charts_escape_labels_and_scale_to_a_round_top():
    chart = Chart("x", "<b>Tytuł</b>", "Dzień", "Liczba", ["<script>"], [7.0])
    drawn = str(svg(chart))
    assert "<script>" not in drawn
    assert "&lt;script&gt;" in drawn
    assert 'role="img"' in drawn and '<title id="chart-x-title">&lt;b&gt;' in drawn
    assert nice_ceiling(7) == 10 and nice_ceiling(0) == 1 and nice_ceiling(120) == 200
    line = str(svg(Chart("y", "T", "D", "N", ["a", "b"], [1.0, 2.0], kind="line")))
    assert "<polyline" in line
    bars = str(svg(Chart("z", "T", "S", "N", ["Nowy", "Zrobiony"], [3.0, 0.0], kind="hbar")))
    assert bars.count("<rect") == 2


# --- dashboard figures ---------------------------------------------------------------------


def test_buckets_are_days_mondays_or_first_days_of_months():
    assert bucket_starts(date(2025, 1, 30), date(2025, 2, 2), "day") == [
        date(2025, 1, 30),
        date(2025, 1, 31),
        date(2025, 2, 1),
        date(2025, 2, 2),
    ]
    assert bucket_starts(date(2025, 1, 1), date(2025, 1, 14), "week") == [
        date(2024, 12, 30),
        date(2025, 1, 6),
        date(2025, 1, 13),
    ]
    assert bucket_starts(date(2024, 11, 15), date(2025, 2, 1), "month") == [
        date(2024, 11, 1),
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]


def test_participation_counts_per_day_in_the_city_time_zone(city_admin, discussion, idea):
    # 23:30 UTC on 1 March is already 2 March in Warsaw (UTC+1 in winter).
    late = datetime(2025, 3, 1, 23, 30, tzinfo=ZoneInfo("UTC"))
    Idea.objects.filter(pk=idea.pk).update(created_at=late)
    Comment.objects.filter(pk=discussion.pk).update(created_at=late - timedelta(hours=1))
    Reaction.objects.filter(idea=idea).update(created_at=late)
    figures = participation(
        scope=scope(city_admin), start=date(2025, 3, 1), end=date(2025, 3, 2), interval="day"
    )
    by_key = {s.key: s for s in figures.series}
    assert figures.labels == ["2025-03-01", "2025-03-02"]
    assert by_key["ideas"].values == [0, 1]
    assert by_key["comments"].values == [1, 0]  # 22:30 UTC = 23:30 in Warsaw, still 1 March
    assert by_key["reactions"].values == [0, 2]
    # The author and the neighbour; the neighbour acted on both days.
    assert by_key["participants"].values == [1, 2]
    assert by_key["participants"].total == 2
    assert "registrations" in by_key  # an administrator's whole-city view


def test_participation_by_week_and_month_and_registrations_only_for_the_whole_city(
    city_admin, manager, project, resident, idea
):
    today = timezone.now().astimezone(ZoneInfo(WARSAW)).date()
    weekly = participation(
        scope=scope(city_admin), start=today - timedelta(days=20), end=today, interval="week"
    )
    by_key = {s.key: s for s in weekly.series}
    assert by_key["ideas"].total == 1
    assert by_key["registrations"].total >= 1  # the resident registered today
    assert all(b.weekday() == 0 for b in weekly.buckets)
    monthly = participation(
        scope=scope(manager), start=today - timedelta(days=90), end=today, interval="month"
    )
    keys = [s.key for s in monthly.series]
    assert "registrations" not in keys  # a project manager sees projects, not the whole city
    assert {s.key: s.total for s in monthly.series}["ideas"] == 1
    single = participation(scope=scope(city_admin, project), start=today, end=today, interval="day")
    assert "registrations" not in [s.key for s in single.series]


def test_a_project_manager_counts_only_their_projects(manager, idea, other_idea, city_admin):
    today = timezone.now().astimezone(ZoneInfo(WARSAW)).date()
    mine = participation(scope=scope(manager), start=today, end=today, interval="day")
    everything = participation(scope=scope(city_admin), start=today, end=today, interval="day")
    assert {s.key: s.total for s in mine.series}["ideas"] == 1
    assert {s.key: s.total for s in everything.series}["ideas"] == 2


def test_feedback_reuses_the_project_page_figures(city_admin, project, discussion, idea):
    make_project("pusty")
    answers = feedback(scope=scope(city_admin))
    per_project = {p.project.slug: p.figures for p in answers.projects}
    assert per_project["park"] == answer_figures(project)
    assert per_project["park"].answered == 1
    assert per_project["pusty"].ideas == 0
    assert answers.total.ideas == 1 and answers.total.answered == 1
    assert answers.total.median_time_to_answer == answer_figures(project).median_time_to_answer
    counts = {s.code: s.ideas for s in answers.statuses}
    idea.refresh_from_db()
    assert counts[idea.status.code] == 1
    assert sum(counts.values()) == 1


def test_later_methods_register_their_own_metrics(city_admin, idea):
    extra = registry.Metric(
        key="test_votes",
        label="Votes",  # type: ignore[arg-type]  # a plain string is enough in a test
        events=lambda s: Idea.objects.filter(project__in=s.projects),
        time_field="created_at",
        actor_field="author",
    )
    registry.register_metric(extra)
    try:
        today = timezone.now().astimezone(ZoneInfo(WARSAW)).date()
        figures = participation(scope=scope(city_admin), start=today, end=today, interval="day")
        assert {s.key: s.total for s in figures.series}["test_votes"] == 1
    finally:
        registry._METRICS.pop("test_votes")


# --- exports -------------------------------------------------------------------------------


def test_an_idea_export_in_csv_escapes_formulas_and_hides_anonymous_authors(
    city, city_admin, idea, anonymous_idea, discussion, committed, eager
):
    with committed():
        export = services.request_export(
            requested_by=city_admin, kind="ideas", file_format="csv", project=None
        )
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert export.row_count == 2 and export.progress == 100
    assert export.file.name.startswith("exports/") and export.file.name.endswith(".csv")
    assert export.finished_at is not None
    assert export.expires_at - export.finished_at == services.EXPORT_VALIDITY
    rows = read_csv(export.file.name)
    # In the city's language (Gdańsk speaks Polish by default; the admin chose none).
    assert rows[0][1] == "Projekt"
    assert len(rows[0]) == len(rows[1]) == 17
    text = "\n".join(",".join(r) for r in rows)
    assert "'=HYPERLINK" in text
    assert "Tajny Autor" not in text and "niesmialy@example.com" not in text
    assert "Anna Nowak" in text  # a named author stays named
    by_id = {r[0]: r for r in rows[1:]}
    assert str(anonymous_idea.pk) in by_id


def test_an_xlsx_export_of_comments_escapes_formula_like_text(
    city, manager, discussion, eager, committed
):
    with committed():
        export = services.request_export(
            requested_by=manager, kind="comments", file_format="xlsx", project=None
        )
    export.refresh_from_db()
    sheets = read_xlsx(export.file.name)
    data = next(iter(sheets.values()))
    assert len(data) == 2
    assert "'+48 popieram" in data[1]
    assert "sasiad@example.com" not in data[1]  # e-mails only for administrators


def test_an_empty_project_gives_headers_only_and_a_note(city, city_admin, in_city):
    empty = make_project("pusty")
    export = services.request_export(
        requested_by=city_admin, kind="reactions", file_format="xlsx", project=empty
    )
    export = run(export, city)
    assert export.status == ExportStatus.DONE
    assert export.row_count == 0
    assert "column headers" in export.note or "nagłówki" in export.note
    sheets = read_xlsx(export.file.name)
    data, notes = list(sheets.values())
    assert len(data) == 1 and len(data[0]) == 5
    assert notes == [[export.note]]
    csv_export = run(
        services.request_export(
            requested_by=city_admin, kind="ideas", file_format="csv", project=empty
        ),
        city,
    )
    assert len(read_csv(csv_export.file.name)) == 1


def test_residents_are_exported_only_for_administrators(city, city_admin, manager, resident, idea):
    with pytest.raises(services.ExportRefused):
        services.request_export(
            requested_by=manager, kind="residents", file_format="csv", project=None
        )
    with pytest.raises(services.ExportRefused):
        services.request_export(
            requested_by=city_admin, kind="votes-not-yet", file_format="csv", project=None
        )
    export = run(
        services.request_export(
            requested_by=city_admin, kind="residents", file_format="csv", project=None
        ),
        city,
    )
    rows = read_csv(export.file.name)
    emails = [r[2] for r in rows[1:]]
    assert resident.email in emails
    assert city_admin.email not in emails  # staff are not residents
    mine = next(r for r in rows[1:] if r[2] == resident.email)
    assert mine[6] == "1"  # one idea


def test_an_export_is_made_once_and_fails_cleanly_when_access_is_gone(city, manager, project, idea):
    export = services.request_export(
        requested_by=manager, kind="ideas", file_format="csv", project=project
    )
    done = run(export, city)
    name = done.file.name
    assert run(done, city).file.name == name  # a second run leaves it alone
    second = services.request_export(
        requested_by=manager, kind="ideas", file_format="csv", project=project
    )
    project.managers.remove(manager)
    failed = run(second, city)
    assert failed.status == ExportStatus.FAILED
    assert failed.error
    assert not failed.file


def test_expired_files_are_deleted_and_their_rows_kept(city, city_admin, idea):
    export = run(
        services.request_export(
            requested_by=city_admin, kind="ideas", file_format="csv", project=None
        ),
        city,
    )
    fresh = run(
        services.request_export(
            requested_by=city_admin, kind="ideas", file_format="xlsx", project=None
        ),
        city,
    )
    Export.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    name = export.file.name
    assert default_storage.exists(name)
    assert services.delete_expired_exports() == 1
    export.refresh_from_db()
    assert not default_storage.exists(name)
    assert export.file.name == ""
    assert Export.objects.filter(pk=export.pk).exists()
    assert default_storage.exists(fresh.file.name)


# --- who takes part (registration fields of ratusz.consultations.people) --------------------


@pytest.fixture
def district_field(in_city):
    from decimal import Decimal

    from ratusz.consultations.people.services import OptionSpec, create_field

    return create_field(
        key="district",
        label={"pl": "Dzielnica", "en": "District"},
        kind="choice",
        options=[
            OptionSpec("north", {"pl": "Północ"}, Decimal("60")),
            OptionSpec("south", {"pl": "Południe"}, Decimal("40")),
        ],
    )


def test_who_takes_part_sits_next_to_the_city_figures(
    city_admin, manager, resident, neighbour, district_field
):
    from ratusz.consultations.people.services import save_answers
    from ratusz.consultations.reports.dashboard import chart_csv_rows, who_takes_part

    save_answers(user=resident, answers={"district": "north"})
    save_answers(user=neighbour, answers={"district": "north"})
    [chart] = who_takes_part(scope(city_admin))
    assert chart.labels == ["Północ", "Południe"]
    assert chart.values == [100.0, 0.0]
    assert chart.reference == [60.0, 40.0]
    assert chart_csv_rows(chart)[1] == ["Północ", 100, 60.0]
    assert "stroke-dasharray" in str(svg(chart))  # the city's share marked on each bar
    assert who_takes_part(scope(manager)) == []  # city-wide figures: administrators only


def test_registration_answers_are_exported_to_administrators(
    city, city_admin, resident, district_field
):
    from ratusz.consultations.people.services import save_answers

    save_answers(user=resident, answers={"district": "south"})
    export = run(
        services.request_export(
            requested_by=city_admin, kind="residents", file_format="csv", project=None
        ),
        city,
    )
    rows = read_csv(export.file.name)
    assert rows[0][-1] == "Dzielnica"
    assert next(r for r in rows[1:] if r[2] == resident.email)[-1] == "south"
