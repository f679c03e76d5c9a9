"""The operator console: audit log, fleet list, city page and every operator action, through
its service and its view, with the permissions around them."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.db import DatabaseError, transaction
from django.db import connection as dj_connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.platform import services
from ratusz.platform.audit import Actor, record
from ratusz.platform.models import AuditEntry, FleetMigration, FleetMigrationCity, RunStatus
from ratusz.platform.selectors import FleetFilters, fleet_page
from ratusz.platform.tasks import migrate_one_city, run_fleet_migration
from ratusz.tenants.announcements import active_announcements
from ratusz.tenants.context import city_context
from ratusz.tenants.models import Announcement, City, CityStatus, Domain, SupportGrant
from ratusz.tenants.services import TransitionRefused, change_city_status
from ratusz.tenants.slugs import SlugRefused
from ratusz.tenants.support import support_visits
from tests.conftest import force_login_with_second_factor
from tests.security.door_accounts import enter_support

ACTOR = Actor(id=1, email="op@ratusz.example", ip="10.0.0.1")


@pytest.fixture
def console(operator, control_client) -> Client:
    """A signed-in operator with two-factor authentication."""
    Authenticator.objects.create(user=operator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    force_login_with_second_factor(control_client, operator)
    return control_client


def fresh(city) -> City:
    return City.objects.get(pk=city.model.pk)


# --- Audit log ----------------------------------------------------------------------------


def test_the_audit_log_refuses_update_and_delete_in_the_database(city):
    entry = record(actor=ACTOR, action="test.action", city=city.model, after={"x": 1})
    for statement in (
        "UPDATE platform_auditentry SET action = 'forged' WHERE id = %s",
        "DELETE FROM platform_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            dj_connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    entry.refresh_from_db()
    assert entry.action == "test.action"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_audit_page_searches_and_exports_csv(console, city, other_city):
    services.suspend_city(actor=ACTOR, city=city.model, reason="unpaid invoice")
    services.suspend_city(actor=ACTOR, city=other_city.model, reason="asked by the city")
    page = console.get("/console/audit/", {"q": "unpaid"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "gdansk-test" in html and "springfield-test" not in html
    response = console.get("/console/audit/", {"city": "gdansk-test", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["when", "operator", "ip"]
    assert [row[5] for row in rows[1:]] == ["city.suspend"]
    assert rows[1][2] == "10.0.0.1"


# --- Permissions --------------------------------------------------------------------------


def test_only_operators_with_two_factor_reach_the_console(
    operator, control_client, city, city_admin
):
    assert control_client.get("/console/")["Location"].startswith("/accounts/login/")
    partner = User.objects.create_user("partner@example.com", "pw", role=Role.PARTNER)
    control_client.force_login(partner)
    assert control_client.get("/console/").status_code == 403
    assert (
        control_client.post(
            f"/console/cities/{city.model.slug}/suspend/", {"confirm": "on"}
        ).status_code
        == 403
    )
    assert fresh(city).status == CityStatus.ACTIVE

    control_client.force_login(operator)  # no two-factor yet
    response = control_client.get("/console/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert (
        control_client.post(
            f"/console/cities/{city.model.slug}/suspend/", {"confirm": "on"}
        ).status_code
        == 302
    )
    assert fresh(city).status == CityStatus.ACTIVE

    # A city administrator on the city's host never reaches the console.
    client = city.client()
    with city_context(city.ref):
        client.force_login(city_admin)
    assert client.get("/console/").status_code == 404


# --- Fleet list ---------------------------------------------------------------------------


def test_fleet_search_filter_sort(console, city, other_city):
    html = console.get("/console/", {"q": "springfield"}).content.decode()
    assert "Springfield" in html and "Gdańsk" not in html
    html = console.get("/console/", {"country": "PL"}).content.decode()
    assert "Gdańsk" in html and "Springfield" not in html
    html = console.get("/console/", {"language": "en", "sort": "-name"}).content.decode()
    assert html.index("Springfield") < html.index("Gdańsk")
    html = console.get("/console/", {"q": "gdansk-test.localhost"}).content.decode()
    assert "Gdańsk" in html
    # By the partner that set the city up.
    from ratusz.onboarding.models import PartnerCity, PartnerOrganisation

    partner = PartnerOrganisation.objects.create(name="Konsultanci Pomorza")
    PartnerCity.objects.create(organisation=partner, city_id=other_city.model.pk)
    html = console.get("/console/", {"partner": partner.pk}).content.decode()
    assert "Springfield" in html and "Gdańsk" not in html
    assert console.get("/console/", {"partner": "999999"}).status_code == 200  # a bad id: ignored


def _bulk_cities(count: int, prefix: str) -> None:
    cities = City.objects.bulk_create(
        [
            City(
                schema_name=f"{prefix}_{i}",
                slug=f"{prefix}-{i}",
                name=f"Bulk {prefix} {i}",
                languages=["pl"],
                plan="basic",
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    Domain.objects.bulk_create(
        [Domain(domain=f"{c.slug}.localhost", tenant=c, is_primary=True) for c in cities],
        batch_size=2000,
    )


def test_the_fleet_list_costs_the_same_queries_for_10_and_10000_cities(console):
    _bulk_cities(10, "small")
    with CaptureQueriesContext(dj_connection) as small:
        assert console.get("/console/", {"plan": "basic"}).status_code == 200
    _bulk_cities(9990, "big")
    with CaptureQueriesContext(dj_connection) as big:
        response = console.get("/console/", {"plan": "basic", "sort": "-created"})
    assert response.status_code == 200
    assert "10000" in response.content.decode()
    assert len(big) == len(small)
    page = fleet_page(FleetFilters(plan="basic"), 3)
    assert page.object_list[0].primary_domain.endswith(".localhost")


# --- City page ----------------------------------------------------------------------------


def test_the_city_page_shows_domains_usage_and_history(console, city, other_city, resident):
    services.suspend_city(actor=ACTOR, city=city.model, reason="checking")
    services.reactivate_city(actor=ACTOR, city=city.model)
    response = console.get(f"/console/cities/{city.model.slug}/")
    assert response.status_code == 200
    context = response.context
    assert context["usage"].residents == 1
    assert [e.action for e in context["lifecycle"]] == ["city.reactivate", "city.suspend"]
    assert [d.domain for d in context["domains"]] == [city.host]
    assert context["pending_migrations"] == []
    # The other city's usage and history are its own.
    other = console.get(f"/console/cities/{other_city.model.slug}/").context
    assert other["usage"].residents == 0 and other["lifecycle"] == []


# --- Lifecycle ----------------------------------------------------------------------------


def test_suspend_and_reactivate_through_the_view_are_confirmed_and_audited(
    console, city, committed
):
    url = f"/console/cities/{city.model.slug}/suspend/"
    assert console.get(url).status_code == 200
    refused = console.post(url, {})
    assert refused.status_code == 400 and fresh(city).status == CityStatus.ACTIVE
    assert city.client().get("/").status_code == 200  # warms the routing cache
    with committed():
        response = console.post(url, {"confirm": "on", "reason": "test"}, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    assert city.client().get("/").status_code == 503  # the next request sees it at once
    entry = AuditEntry.objects.get(action="city.suspend")
    assert (entry.city_id, entry.city_slug, entry.ip_address) == (
        city.model.pk,
        city.model.slug,
        "192.0.2.7",
    )
    assert entry.before["status"] == "active" and entry.after["status"] == "suspended"
    with committed():
        console.post(f"/console/cities/{city.model.slug}/reactivate/", {"confirm": "on"})
    assert city.client().get("/").status_code == 200


def test_a_forbidden_move_is_refused_with_a_reason_and_nothing_recorded(city):
    services.archive_city(actor=ACTOR, city=city.model)
    City.objects.filter(pk=city.model.pk).update(status=CityStatus.ACTIVE)
    with pytest.raises(TransitionRefused):
        change_city_status(city=city.model, status="nonsense")
    before = AuditEntry.objects.count()
    services.delete_city(actor=ACTOR, city=city.model)
    with pytest.raises(services.ActionRefused, match="already deleted"):
        services.delete_city(actor=ACTOR, city=city.model)
    assert AuditEntry.objects.count() == before + 1  # the first delete only


def test_an_archived_portal_is_read_only_with_a_banner_in_its_language(
    console, city, resident, committed
):
    with committed():
        services.archive_city(actor=ACTOR, city=city.model)
    client = city.client()
    assert client.get("/").status_code == 200
    # (Signing in stays open there: residents keep their accounts, tests/security.)
    response = client.post("/accounts/signup/", {"email": "x@example.org", "password1": "y"})
    assert response.status_code == 403
    assert response["Content-Language"] == "pl"
    assert '<html lang="pl">' in response.content.decode()
    request = client.get("/").wsgi_request
    assert request.city_read_only is True


def test_soft_delete_restore_and_purge(city, other_city, committed):
    deleted = services.delete_city(actor=ACTOR, city=other_city.model, grace=timedelta(days=30))
    assert deleted.status == CityStatus.SUSPENDED and deleted.deleted_at is not None
    assert services.purge_due_cities(actor=ACTOR) == []
    restored = services.restore_city(actor=ACTOR, city=deleted)
    assert restored.deleted_at is None
    with pytest.raises(services.ActionRefused):
        services.purge_deleted_city(actor=ACTOR, city=restored)
    services.delete_city(actor=ACTOR, city=restored, grace=timedelta(seconds=0))
    schema = other_city.model.schema_name
    assert services.purge_due_cities(actor=ACTOR) == [other_city.model.slug]
    assert not City.objects.filter(pk=other_city.model.pk).exists()
    assert not Domain.objects.filter(domain=other_city.host).exists()
    with dj_connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        assert cursor.fetchone() is None
    assert AuditEntry.objects.filter(action="city.purge", city_slug="springfield-test").exists()
    assert City.objects.filter(pk=city.model.pk).exists()


def test_entitlements_change_through_the_view(console, city):
    data = {"plan": "pro", "limit_staff_seats": "5", "feature_voting": "on", "reason": "upgrade"}
    response = console.post(f"/console/cities/{city.model.slug}/entitlements/", data)
    assert response.status_code == 302
    changed = fresh(city)
    assert changed.plan == "pro" and changed.limits == {"staff_seats": 5}
    assert changed.features["voting"] is True and changed.features["surveys"] is False
    entry = AuditEntry.objects.get(action="city.entitlements")
    assert entry.before["plan"] == "" and entry.after["plan"] == "pro"
    bad = console.post(
        f"/console/cities/{city.model.slug}/entitlements/", {"limit_staff_seats": "-1"}
    )
    assert bad.status_code == 400 and fresh(city).limits == {"staff_seats": 5}


def test_renaming_a_slug_redirects_the_old_subdomain(console, city, other_city, committed):
    with committed():
        response = console.post(
            f"/console/cities/{city.model.slug}/rename/", {"confirm": "on", "slug": "gdansk-nowy"}
        )
    assert response.status_code == 302
    assert fresh(city).slug == "gdansk-nowy"
    old = Client(HTTP_HOST=city.host).get("/projects/?x=1")
    assert old.status_code == 301
    assert old["Location"].startswith("http://gdansk-nowy.localhost")
    assert old["Location"].endswith("/projects/?x=1")
    assert Client(HTTP_HOST="gdansk-nowy.localhost").get("/").status_code == 200
    # A taken subdomain is refused with its reason, and nothing changes.
    refused = console.post(
        "/console/cities/gdansk-nowy/rename/", {"confirm": "on", "slug": other_city.model.slug}
    )
    assert refused.status_code == 400
    assert "is taken" in refused.content.decode()
    with pytest.raises(SlugRefused):
        services.rename_city(actor=ACTOR, city=fresh(city), slug="admin")
    assert fresh(city).slug == "gdansk-nowy"


def test_the_last_domain_cannot_be_removed(console, city):
    domain = Domain.objects.get(tenant=city.model)
    response = console.post(
        f"/console/cities/{city.model.slug}/domains/{domain.pk}/remove/", {"confirm": "on"}
    )
    assert response.status_code == 400
    assert "last one" in response.content.decode()
    assert Domain.objects.filter(pk=domain.pk).exists()


def test_support_access_signs_in_once_for_a_limited_time_and_the_city_sees_it(
    console, operator, city, other_city, city_admin
):
    from ratusz.accounts.models import AccountSettings

    with city_context(city.ref):  # the city asks its staff for two factors
        AccountSettings.objects.update(staff_two_factor_required=True)
    response = console.post(
        f"/console/cities/{city.model.slug}/support/", {"reason": "", "minutes": "60"}
    )
    assert response.status_code == 400 and not SupportGrant.objects.exists()
    response = console.post(
        f"/console/cities/{city.model.slug}/support/",
        {"reason": "Ticket 42: cannot publish", "minutes": "60"},
    )
    issued = response.context["issued"]
    path = issued.url.split(city.host, 1)[1].split(":", 1)[-1]
    path = path[path.index("/support/") :]
    # The link works in its own city only, once.
    assert enter_support(other_city.client(), path, operator).status_code == 403
    client = city.client()
    assert client.get(path).status_code == 200  # a preview does not use it
    entered = enter_support(client, path, operator)
    assert entered.status_code == 302 and entered["Location"] == "/admin/"
    assert 0 < int(entered.cookies["sessionid"]["max-age"]) <= 3600
    # The operator passed two factors on the console and gave their code at the door: the
    # city's rule does not stop them.
    assert client.get("/admin/").status_code == 200
    assert enter_support(city.client(), path, operator).status_code == 403
    with city_context(city.ref):
        account = User.objects.get(email__startswith="support-")
        assert account.role == Role.ADMINISTRATOR
    visits = support_visits(city.model.pk)
    assert [v.reason for v in visits] == ["Ticket 42: cannot publish"]
    assert visits[0].entered_at is not None
    assert support_visits(other_city.model.pk) == []
    # The city's administrators see the visit in their back office, and only theirs.
    admin_client = city.client()
    with city_context(city.ref):
        Authenticator.objects.create(user=city_admin, type="totp", data={"secret": "x"})
        force_login_with_second_factor(admin_client, city_admin)
    response = admin_client.get("/admin/support-visits/")
    assert response.status_code == 200, response.get("Location")
    page = response.content.decode()
    assert "Ticket 42: cannot publish" in page
    assert AuditEntry.objects.filter(action="city.support_access", city_id=city.model.pk).exists()
    # When the time is up the account is switched off.
    from ratusz.tenants.support import end_expired_support_access

    SupportGrant.objects.update(
        expires_at=timezone.now() - timedelta(seconds=1),
        created_at=timezone.now() - timedelta(hours=2),
    )
    assert end_expired_support_access() == 1
    with city_context(city.ref):
        assert not User.objects.get(email__startswith="support-").is_active


def test_announcements_reach_all_or_filtered_cities(console, city, other_city, committed):
    with committed():
        response = console.post(
            "/console/announcements/",
            {
                "message_pl": "Przerwa techniczna",
                "message_en": "Maintenance",
                "level": "warning",
                "days": "1",
                "country": "US",
            },
        )
    assert response.status_code == 302
    assert [a.text_for("en") for a in active_announcements(other_city.model.pk)] == ["Maintenance"]
    assert active_announcements(city.model.pk) == []
    empty = console.post("/console/announcements/", {"level": "info", "days": "1"})
    assert empty.status_code == 400
    with committed():
        services.broadcast_announcement(
            actor=ACTOR,
            message={"pl": "Dla wszystkich", "en": "For all"},
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=1),
        )
    assert [a.text_for("pl") for a in active_announcements(city.model.pk)] == ["Dla wszystkich"]
    with committed():
        services.withdraw_announcement(
            actor=ACTOR, announcement=Announcement.objects.get(message__en="For all")
        )
    assert active_announcements(city.model.pk) == []


def test_fleet_migrations_run_record_progress_and_retry_one_city(console, city, other_city):
    response = console.post("/console/migrations/start/")
    assert response.status_code == 302
    run = FleetMigration.objects.get()
    assert console.post("/console/migrations/start/").status_code == 302
    assert FleetMigration.objects.count() == 1  # refused while one is queued
    assert run_fleet_migration.run(run.pk) == "done"
    rows = {row.city_slug: row for row in run.cities.all()}
    assert rows[city.model.slug].status == RunStatus.DONE
    # A failed city is listed with its error and retried alone.
    row = rows[other_city.model.slug]
    FleetMigrationCity.objects.filter(pk=row.pk).update(status=RunStatus.FAILED, error="boom")
    page = console.get("/console/migrations/")
    assert "boom" in page.content.decode()
    assert console.post(f"/console/migrations/retry/{row.pk}/").status_code == 302
    assert migrate_one_city.run(row.pk) == RunStatus.DONE
    assert AuditEntry.objects.filter(action="fleet.migrate_retry").exists()


def test_a_task_queued_for_a_purged_city_ends_quietly(make_city, caplog):
    import logging

    from ratusz.celery import app
    from ratusz.tenants.queue import CITY_HEADER

    doomed = make_city()
    services.delete_city(actor=ACTOR, city=doomed.model, grace=timedelta(0))
    services.purge_due_cities(actor=ACTOR)

    @app.task(name="tests.platform.touch")
    def touch() -> str:
        return "ran"

    with caplog.at_level(logging.WARNING, logger="ratusz.tenants.queue"):
        result = touch.apply(headers={CITY_HEADER: doomed.schema})
    assert result.successful() and result.result is None
    assert "no longer exists" in caplog.text


# The city's URLs plus the support entry link (the lead mounts it in ratusz/urls_city.py).
