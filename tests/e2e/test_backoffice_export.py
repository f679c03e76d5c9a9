"""The dashboard and an export in a real browser: charts without JavaScript errors, an export
asked for, followed and downloaded, and axe-core on each page."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.celery import app as celery_app
from ratusz.consultations.core import services
from ratusz.consultations.methods.ideation.services import add_comment, post_idea
from ratusz.tenants.context import city_context
from tests.e2e.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser

PASSWORD = "Haslo-Administratora-1"


def accessible(page, where: str) -> None:
    problems = axe_violations(page)
    assert not problems, f"{where}: {problems}"


def test_dashboard_and_an_export_downloaded(
    make_city, live_server_url, page, tmp_path, settings, monkeypatch
):
    # The export task runs in-process (the same task code a worker runs).
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    city = make_city(name="Gdańsk", slug="gdansk-raporty", languages=["pl", "en"])
    with city_context(city.ref):
        project = services.create_project(slug="park", title={"pl": "Park nad Motławą"})
        now = timezone.now()
        phase = services.add_phase(
            project=project,
            method="ideation",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=30),
            title={"pl": "Pomysły"},
        )
        services.publish_project(project=project)
        resident = User.objects.create_user(
            "anna@example.com", "Haslo-Mieszkanki-1", full_name="Anna"
        )
        idea = post_idea(
            author=resident, phase=phase, title="=Ławki nad wodą", body="<p>Ławki.</p>"
        )
        add_comment(author=resident, idea=idea, body="@wszyscy popierajcie")
        User.objects.create_user(
            "admin@gdansk.example",
            PASSWORD,
            full_name="Jan Admin",
            role=Role.ADMINISTRATOR,
            is_staff=True,
        )
    base = live_server_url.format(host=city.host)

    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", "admin@gdansk.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/consent/" in page.url:
        page.check("input[name=accept_policies]")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()

    page.goto(base + "/admin/dashboard/")
    from ratusz.consultations.reports.registry import metrics

    assert page.locator("svg.chart").count() == 3 + len(metrics())
    assert page.locator("svg.chart > title").first.text_content()
    page.click("details.report-table summary >> nth=1")
    assert page.locator("details.report-table table caption").nth(1).is_visible()
    screenshot(page, "reports-dashboard")
    accessible(page, "dashboard")
    with page.expect_download() as chart_download:
        page.click("a[href*='/admin/dashboard/ideas.csv']")
    chart_rows = list(
        csv.reader(io.StringIO(Path(chart_download.value.path()).read_text("utf-8-sig")))
    )
    assert sum(int(r[1]) for r in chart_rows[1:]) == 1

    page.goto(base + "/admin/exports/")
    accessible(page, "exports")
    page.check("input[name=kind][value=ideas]")
    page.check("input[name=file_format][value=csv]")
    page.select_option("select[name=project]", "park")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/admin/exports/*/")
    page.wait_for_selector("a[href$='/download/']")
    accessible(page, "export progress")
    screenshot(page, "reports-export")
    with page.expect_download() as download:
        page.click("a.button[href$='/download/']")
    text = Path(download.value.path()).read_text("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert "'=Ławki nad wodą" in rows[1]
    assert download.value.suggested_filename.endswith(".csv")
