"""Dashboard and export pages: who may open them, what each sees, bad input, downloads."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.utils import timezone

from ratusz.consultations.reports import services
from ratusz.consultations.reports.models import Export, ExportStatus
from ratusz.tenants.context import city_context
from tests.consultations.reports.conftest import english


def test_visitors_sign_in_and_residents_get_403(city, resident):
    for url in ("/admin/dashboard/", "/admin/exports/", "/admin/dashboard/ideas.csv"):
        assert english(city).get(url).status_code == 302
        assert english(city, resident).get(url).status_code == 403


def test_an_administrator_sees_the_whole_city(city, city_admin, idea, other_idea, discussion):
    page = english(city, city_admin).get("/admin/dashboard/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "The whole city" in html
    assert "Registrations" in html
    from ratusz.consultations.reports.registry import metrics

    # Active participants, one chart per registered metric (each participation method adds
    # its own), ideas per status, answered share.
    assert html.count('<svg class="chart"') == 3 + len(metrics())
    assert "<caption>Ideas</caption>" in html
    assert '<th scope="col">' in html and '<th scope="row">' in html
    assert "Prom do Westerplatte" not in html  # figures, not content
    assert "/admin/dashboard/ideas.csv" in html
    assert "50 %" in html  # one of the two published ideas has an answer


def test_a_project_manager_sees_only_their_projects(city, manager, idea, other_idea):
    client = english(city, manager)
    page = client.get("/admin/dashboard/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "All your projects" in html
    assert "Registrations" not in html
    assert 'value="port"' not in html  # the other project is not even offered
    refused = client.get("/admin/dashboard/?project=port")
    assert refused.status_code == 400
    assert "Choose one of your projects." in refused.content.decode()
    rows = list(
        csv.reader(
            io.StringIO(client.get("/admin/dashboard/ideas.csv").content.decode("utf-8-sig"))
        )
    )
    assert sum(int(r[1]) for r in rows[1:]) == 1  # their idea only, not the port's


def test_bad_date_ranges_are_explained(city, city_admin):
    client = english(city, city_admin)
    backwards = client.get("/admin/dashboard/?start=2025-03-10&end=2025-03-01")
    assert backwards.status_code == 400
    assert "The end date must be on or after the start date." in backwards.content.decode()
    assert 'role="alert"' in backwards.content.decode()
    garbage = client.get("/admin/dashboard/?start=yesterday")
    assert garbage.status_code == 400
    assert "Enter a valid date." in garbage.content.decode()
    daily = client.get("/admin/dashboard/?start=2020-01-01&end=2024-01-01&interval=day")
    assert "choose weeks or months" in daily.content.decode()
    too_long = client.get("/admin/dashboard/?start=2000-01-01&end=2024-01-01")
    assert "at most five years" in too_long.content.decode()
    assert client.get("/admin/dashboard/nothing.csv").status_code == 404
    bad_csv = client.get("/admin/dashboard/ideas.csv?start=2025-03-10&end=2025-03-01")
    assert bad_csv.status_code == 400


def test_a_chart_downloads_as_csv_bucketed_by_month(city, city_admin, idea):
    today = timezone.localdate()
    response = english(city, city_admin).get(
        f"/admin/dashboard/ideas.csv?start={today - timedelta(days=70)}&end={today}&interval=month"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Month", "Ideas"]
    assert len(rows) in (4, 5)  # three or four months
    assert sum(int(r[1]) for r in rows[1:]) == 1


def test_an_export_is_asked_for_followed_and_downloaded(
    city, manager, project, idea, committed, eager
):
    client = english(city, manager)
    form = client.get("/admin/exports/").content.decode()
    assert 'value="residents"' not in form  # administrators only
    with committed():
        response = client.post(
            "/admin/exports/", {"kind": "ideas", "file_format": "csv", "project": "park"}
        )
    with city_context(city.ref):
        export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/exports/{export.pk}/"
    assert export.status == ExportStatus.DONE
    detail = client.get(response["Location"]).content.decode()
    assert "Download the file" in detail
    assert 'http-equiv="refresh"' not in detail  # done: no more refreshing
    fragment = client.get(f"/admin/exports/{export.pk}/status/", headers={"HX-Request": "true"})
    assert fragment.status_code == 286  # HTMX stops polling
    download = client.get(f"/admin/exports/{export.pk}/download/")
    assert download.status_code == 200
    streamed = download.streaming_content  # type: ignore[attr-defined]  # a FileResponse
    body = b"".join(streamed).decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert "attachment" in download["Content-Disposition"]
    listing = client.get("/admin/exports/").content.decode()
    assert f"/admin/exports/{export.pk}/download/" in listing


def test_a_queued_export_page_refreshes_itself(city, city_admin, idea):
    with city_context(city.ref):
        export = services.request_export(
            requested_by=city_admin, kind="ideas", file_format="xlsx", project=None
        )
    client = english(city, city_admin)
    html = client.get(f"/admin/exports/{export.pk}/").content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert 'hx-trigger="every 2s"' in html
    assert "<progress" in html
    fragment = client.get(f"/admin/exports/{export.pk}/status/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert client.get(f"/admin/exports/{export.pk}/download/").status_code == 302


def test_bad_export_requests_are_refused_with_a_message(city, manager, other_project):
    client = english(city, manager)
    response = client.post(
        "/admin/exports/", {"kind": "residents", "file_format": "csv", "project": ""}
    )
    assert response.status_code == 400
    assert "Choose what to export from the list." in response.content.decode()
    response = client.post(
        "/admin/exports/", {"kind": "ideas", "file_format": "pdf", "project": "port"}
    )
    html = response.content.decode()
    assert "Choose one of your projects." in html
    assert "Select a valid choice" in html
    with city_context(city.ref):
        assert not Export.objects.exists()


def test_exports_are_private_to_who_asked_and_expire(
    city, city_admin, manager, other_manager, project, idea
):
    with city_context(city.ref):
        export = services.request_export(
            requested_by=manager, kind="ideas", file_format="csv", project=project
        )
        services.make_export(
            export_id=export.pk, city_time_zone="Europe/Warsaw", city_language="pl"
        )
    for stranger in (other_manager, city_admin):
        client = english(city, stranger)
        assert client.get(f"/admin/exports/{export.pk}/").status_code == 404
        assert client.get(f"/admin/exports/{export.pk}/download/").status_code == 404
    with city_context(city.ref):
        Export.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    expired = english(city, manager).get(f"/admin/exports/{export.pk}/download/")
    assert expired.status_code == 410
    assert "This export has expired" in expired.content.decode()
