"""City A's figures and exports never include city B's data, and B cannot reach A's files."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.accounts.services import accept_invitation, create_invitation
from ratusz.consultations.methods.ideation.services import post_idea
from ratusz.consultations.reports import services
from ratusz.consultations.reports.models import Export
from ratusz.consultations.reports.selectors import feedback, participation, scope_for
from ratusz.tenants.context import city_context
from tests.consultations.conftest import make_project
from tests.consultations.reports.conftest import english


def springfield_admin(other_city) -> User:
    with city_context(other_city.ref):
        issued = create_invitation(email="mayor@springfield.example", role=Role.ADMINISTRATOR)
        return accept_invitation(
            token=issued.token, full_name="Mayor Quimby", password="correct horse battery"
        )


def springfield_idea(other_city) -> None:
    with city_context(other_city.ref):
        project = make_project("park")  # the same slug as Gdańsk's project
        author = User.objects.create_user("homer@example.com", "correct horse battery")
        post_idea(
            author=author,
            phase=project.phases.get(method="ideation"),
            title="Donut stand",
            body="<p>Mmm.</p>",
        )


def test_dashboard_figures_count_only_the_current_city(city, other_city, city_admin, idea):
    springfield_idea(other_city)
    mayor = springfield_admin(other_city)
    today = timezone.now().astimezone(ZoneInfo("Europe/Warsaw")).date()
    with city_context(city.ref):
        scope = scope_for(
            city_admin, project=None, time_zone="Europe/Warsaw", default_language="pl"
        )
        ours = {
            s.key: s.total
            for s in participation(scope=scope, start=today, end=today, interval="day").series
        }
        assert ours["ideas"] == 1
        assert feedback(scope=scope).total.ideas == 1
    with city_context(other_city.ref):
        scope = scope_for(mayor, project=None, time_zone="America/Chicago", default_language="en")
        theirs = participation(scope=scope, start=date(2000, 1, 1), end=today, interval="month")
        assert {s.key: s.total for s in theirs.series}["ideas"] == 1
    page = english(city, city_admin).get("/admin/dashboard/").content.decode()
    assert "Donut" not in page


def test_a_city_b_user_cannot_download_city_a_export(city, other_city, city_admin, idea):
    with city_context(city.ref):
        export = services.request_export(
            requested_by=city_admin, kind="ideas", file_format="csv", project=None
        )
        services.make_export(
            export_id=export.pk, city_time_zone="Europe/Warsaw", city_language="pl"
        )
        export.refresh_from_db()
        name = export.file.name
    mayor = springfield_admin(other_city)
    client = english(other_city, mayor)
    assert client.get(f"/admin/exports/{export.pk}/").status_code == 404
    assert client.get(f"/admin/exports/{export.pk}/download/").status_code == 404
    # The same stored name read in Springfield's storage points into Springfield's folder.
    from django.core.files.storage import default_storage

    with city_context(other_city.ref):
        assert not default_storage.exists(name)
        assert not Export.objects.filter(pk=export.pk).exists()
    with city_context(city.ref):
        assert default_storage.exists(name)
    # A Springfield export of everything holds only Springfield's idea.
    springfield_idea(other_city)
    with city_context(other_city.ref):
        theirs = services.request_export(
            requested_by=mayor, kind="ideas", file_format="csv", project=None
        )
        services.make_export(
            export_id=theirs.pk, city_time_zone="America/Chicago", city_language="en"
        )
        theirs.refresh_from_db()
        with default_storage.open(theirs.file.name, "rb") as handle:
            text = handle.read().decode("utf-8-sig")
    assert "Donut stand" in text
    assert "HYPERLINK" not in text
    assert theirs.row_count == 1
