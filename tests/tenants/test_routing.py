"""Host -> city routing, error pages, languages and the search path's safety."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import caches
from django.db import IntegrityError, ProgrammingError, transaction
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from ratusz.accounts.models import User
from ratusz.consultations.core.models import PortalSettings
from ratusz.tenants.context import CityRef, city_context
from ratusz.tenants.db import connection
from ratusz.tenants.middleware import CityRoutingMiddleware
from ratusz.tenants.models import CityStatus, Domain
from ratusz.tenants.routing import forget_hosts, resolve_host
from ratusz.tenants.services import TransitionRefused, change_city_status


def resolve_city(host: str) -> CityRef:
    route = resolve_host(host)
    assert route.city is not None, route
    return route.city


def search_path() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        return cursor.fetchone()[0]


def test_the_base_domain_serves_the_control_plane(control_client, db):
    response = control_client.get("/")
    assert response.status_code == 200
    assert b"Ratusz" in response.content
    assert response.wsgi_request.city is None


def test_a_city_subdomain_serves_its_portal_in_its_language(city):
    response = city.client().get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="pl">' in html
    assert "Gdańsk" in html
    assert "Konsultacje społeczne: Gdańsk" in html
    assert response["Content-Language"] == "pl"


def test_an_english_city_speaks_english(other_city):
    html = other_city.client().get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Public consultations: Springfield" in html


def test_a_visitor_may_choose_another_of_the_citys_languages(city, other_city):
    client = city.client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Public consultations: Gdańsk" in html
    # A language the city does not offer falls back to the city's default.
    other = other_city.client()
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    assert '<html lang="en">' in other.get("/").content.decode()


def test_host_matching_ignores_case_port_and_trailing_dot(city):
    for host in (city.host.upper(), f"{city.host}:8000", f"{city.host}."):
        response = Client(HTTP_HOST=host).get("/")
        assert response.status_code == 200, host
        assert "Gdańsk" in response.content.decode()


def test_an_unknown_host_gets_a_friendly_404(db):
    response = Client(HTTP_HOST=f"nowhere.{settings.BASE_DOMAIN}").get("/some/page")
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is no consultation portal at this address" in html
    assert f"nowhere.{settings.BASE_DOMAIN}" in html
    assert "Traceback" not in html


def test_a_malformed_host_gets_the_404_page_not_an_error(db):
    response = Client(HTTP_HOST="bad host!").get("/")
    assert response.status_code == 404
    assert "There is no consultation portal" in response.content.decode()


def test_an_unknown_path_on_a_city_is_a_404_page(city):
    response = city.client().get("/no-such-page/")
    assert response.status_code == 404


def test_a_suspended_city_shows_503_in_its_language_and_keeps_its_data(city, committed):
    with committed():
        change_city_status(city=city.model, status=CityStatus.SUSPENDED)
    response = city.client().get("/")
    assert response.status_code == 503
    html = response.content.decode()
    assert '<html lang="pl">' in html
    assert "Ten portal jest chwilowo niedostępny" in html
    assert response["Retry-After"]
    with city_context(city.ref):
        assert PortalSettings.objects.exists()
    with committed():
        change_city_status(city=city.model, status=CityStatus.ACTIVE)
    assert city.client().get("/").status_code == 200


def test_an_archived_city_is_a_read_only_portal(other_city, committed):
    with committed():
        change_city_status(city=other_city.model, status=CityStatus.ARCHIVED)
    client = other_city.client()
    response = client.get("/")
    assert response.status_code == 200
    assert "Read-only archive." in response.content.decode()
    refused = client.post("/accounts/signup/", {"email": "x@example.com", "password1": "x"})
    assert refused.status_code == 403
    # Residents keep their accounts: signing in is not refused (here: a wrong password).
    wrong = client.post("/accounts/login/", {"login": "x@example.com", "password": "x"})
    assert wrong.status_code == 200
    # Choosing a language changes only the visitor's browser: still allowed.
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302


def test_an_unknown_status_and_a_forbidden_move_are_refused(city):
    with pytest.raises(TransitionRefused):
        change_city_status(city=city.model, status="deleted")


def test_routing_costs_no_query_once_cached(
    city, django_assert_num_queries, django_assert_max_num_queries
):
    forget_hosts([city.host])
    with django_assert_max_num_queries(2):  # the domain lookup (and setting the path)
        assert resolve_city(city.host).schema_name == city.schema
    with django_assert_num_queries(0):
        for _ in range(5):
            route = resolve_host(city.host)
    assert route.kind == "city"
    assert resolve_city(city.host).name == "Gdańsk"


def test_routing_is_updated_when_the_city_changes(city, committed):
    city.client().get("/")  # warm the routing cache
    with committed():
        change_city_status(city=city.model, status=CityStatus.SUSPENDED)
    assert resolve_city(city.host).status == CityStatus.SUSPENDED
    assert resolve_host("konsultacje.gdansk.example").kind == "unknown"
    Domain.objects.create(
        domain="konsultacje.gdansk.example",
        tenant=city.model,
        is_primary=False,
        verified_at=timezone.now(),
    )
    assert resolve_host("konsultacje.gdansk.example").kind == "unknown"  # cached as unknown...
    forget_hosts(["konsultacje.gdansk.example"])  # ...until the domain service forgets it
    assert resolve_city("konsultacje.gdansk.example").primary_domain == city.host


def test_the_routing_cache_is_not_the_city_cache(city):
    """Routing entries live in the control namespace, never under a city's keys."""
    resolve_host(city.host)
    with city_context(city.ref):
        assert caches["default"].get(f"route:{city.host}") is None
    assert caches["control"].get(f"route:{city.host}") is not None


def test_the_search_path_is_set_once_per_request(city, django_assert_max_num_queries):
    client = city.client()
    client.get("/")
    before = connection.search_path_sets
    for number in range(3):
        # A query string of its own each time: rendered, not served from the page cache.
        client.get("/", {"visit": number})
    # Each request selects the city once (at most), however many queries it makes.
    assert 1 <= connection.search_path_sets - before <= 3


def test_the_connection_returns_to_public_even_when_the_view_fails(city):
    def failing_view(request):
        PortalSettings.objects.count()  # a query in the city's schema
        raise RuntimeError("boom")

    middleware = CityRoutingMiddleware(failing_view)
    request = RequestFactory().get("/", HTTP_HOST=city.host)
    with pytest.raises(RuntimeError):
        middleware(request)
    assert connection.schema_name == "public"
    assert search_path().startswith("public")


def test_search_path_after_a_rollback(city, other_city):
    with city_context(city.ref):
        try:
            with transaction.atomic():
                PortalSettings.objects.count()  # sets the path inside the savepoint
                User.objects.create_user("dup@example.com")
                User.objects.create_user("dup@example.com")  # IntegrityError
        except IntegrityError:
            pass
        assert search_path().startswith(f'"{city.schema}"') or search_path().startswith(city.schema)
        assert PortalSettings.objects.get().city_id == city.model.pk
    assert connection.schema_name == "public"


def test_search_path_after_a_savepoint_rollback_inside_another_city(city, other_city):
    """The dangerous case: the path was set for B inside a savepoint that is rolled back, so
    PostgreSQL reverts it to A while the code still works for B."""
    with city_context(city.ref):
        PortalSettings.objects.count()  # path = A
        with city_context(other_city.ref):
            try:
                with transaction.atomic():
                    PortalSettings.objects.count()  # path = B, set after the savepoint
                    raise ValueError("roll back to the savepoint")
            except ValueError:
                pass
            # Still working for B: every query must see B's data, not A's.
            assert PortalSettings.objects.get().city_id == other_city.model.pk
            assert other_city.schema in search_path()
        assert PortalSettings.objects.get().city_id == city.model.pk


def test_search_path_after_a_failed_statement(city):
    with city_context(city.ref):
        PortalSettings.objects.count()
        with pytest.raises(ProgrammingError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
        assert PortalSettings.objects.get().city_id == city.model.pk


def test_healthz_and_readyz_answer_on_every_host(city, db):
    for host in (settings.BASE_DOMAIN, city.host, "unknown.example"):
        client = Client(HTTP_HOST=host)
        assert client.get("/healthz").content == b"ok\n"
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.content
        assert ready.json()["ready"] is True


@override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_readyz_reports_an_unreachable_broker(db):
    response = Client(HTTP_HOST=settings.BASE_DOMAIN).get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False
    assert "broker" in body["problems"]


def test_sessions_are_host_only_and_live_in_their_citys_schema(city, other_city, city_admin):
    client = city.client()
    with city_context(city.ref):
        client.force_login(city_admin)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    # Host-only cookies: no Domain attribute, so browsers never send them to another subdomain.
    assert settings.SESSION_COOKIE_DOMAIN is None
    response = client.get("/")
    assert 'action="/accounts/logout/"' in response.content.decode()  # signed in
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["domain"] == ""
    assert "domain=" not in csrf.output().lower()
    # Even if a browser sent the same cookie to another city, the session does not exist there.
    stolen = other_city.client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = cookie.value
    assert 'action="/accounts/logout/"' not in stolen.get("/").content.decode()


def test_an_account_exists_only_in_its_citys_schema(
    city, other_city, city_admin, resident, operator
):
    with city_context(city.ref):
        assert authenticate(email="urzednik@gdansk.example", password="correct horse battery")
    with city_context(other_city.ref):
        assert (
            authenticate(email="urzednik@gdansk.example", password="correct horse battery") is None
        )
    assert not User.objects.filter(email="urzednik@gdansk.example").exists()  # not in public
    # A resident of Gdańsk is unknown to Springfield; an operator is unknown to every city.
    with city_context(other_city.ref):
        assert authenticate(email=resident.email, password="correct horse battery") is None
        assert authenticate(email=operator.email, password="correct horse battery") is None
    with city_context(city.ref):
        assert authenticate(email=resident.email, password="correct horse battery") == resident
        assert authenticate(email=operator.email, password="correct horse battery") is None
    assert authenticate(email=operator.email, password="correct horse battery") == operator


def test_the_invitation_link_creates_the_first_administrator(city):
    client = city.client()
    path = city.invitation_url.split(city.host, 1)[1]
    page = client.get(path)
    assert page.status_code == 200
    assert "admin@gdansk.example" in page.content.decode()
    bad = client.post(path, {"full_name": "Ala", "password": "x", "password_again": "y"})
    assert bad.status_code == 200
    assert "errors" in bad.content.decode()
    good = client.post(
        path,
        {
            "full_name": "Ala Kot",
            "password": "Trudne-Haslo-2026",
            "password_again": "Trudne-Haslo-2026",
        },
    )
    assert good.status_code == 302
    with city_context(city.ref):
        admin = User.objects.get(email="admin@gdansk.example")
        assert admin.role == "administrator"
        assert admin.is_staff
    # A used link cannot be used again.
    assert client.get(path).status_code == 410
    assert Client(HTTP_HOST=city.host).get("/invitation/not-a-token/").status_code == 410


def test_city_pages_show_times_in_the_citys_time_zone(city, other_city):
    from django.utils import timezone as tz

    from ratusz.tenants.middleware import CityLocaleMiddleware

    seen: list[str] = []

    def view(request):
        seen.append(str(tz.get_current_timezone()))
        from django.http import HttpResponse

        return HttpResponse("ok")

    factory = RequestFactory()
    for ref in (city.ref, other_city.ref):
        request = factory.get("/")
        request.city = ref  # type: ignore[attr-defined]  # as the routing middleware sets it
        CityLocaleMiddleware(view)(request)
    assert seen == [city.ref.time_zone, other_city.ref.time_zone]
    assert str(tz.get_current_timezone()) == settings.TIME_ZONE  # nothing leaks past a request
