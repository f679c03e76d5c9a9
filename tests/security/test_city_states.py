"""What each lifecycle state of a city lets through, for each kind of person (issue 12, #4).

A suspended city's administrators sign in and pay; its residents see a closed page in the
city's language. A soft-deleted city is closed to everyone but an operator's support visit,
and does not promise residents that their portal will come back. The full state × role × URL
matrix is in test_state_matrix.py; these tests follow one person through each state.
"""

from __future__ import annotations

from django.test import Client

from ratusz.accounts.selectors import account_settings
from ratusz.accounts.services import record_consent
from ratusz.tenants.context import city_context
from ratusz.tenants.models import CityStatus
from ratusz.tenants.services import change_city_status, soft_delete_city
from ratusz.tenants.support import grant_support_access
from tests.billing.conftest import login
from tests.security.door_accounts import enter_support

PASSWORD = "correct horse battery"


def _consented(city, user) -> None:
    with city_context(city.ref):
        policies = account_settings()
        record_consent(
            user=user,
            terms_version=policies.terms_version,
            privacy_version=policies.privacy_version,
        )


def _sign_in(city, email: str) -> Client:
    """Through the city's sign-in form, as a person would."""
    client = city.client()
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_a_suspended_citys_administrator_signs_in_and_reaches_billing(
    city, city_admin, resident, committed
):
    _consented(city, city_admin)
    with committed():
        change_city_status(city=city.model, status=CityStatus.SUSPENDED)

    # Visitors: the closed page, in the city's language, on the back office too (was 500).
    for path in ("/", "/admin/", "/admin/billing/", "/projects/park/"):
        response = city.client().get(path)
        assert response.status_code == 503, path
        html = response.content.decode()
        assert "Ten portal jest chwilowo niedostępny" in html
        assert response["Retry-After"]
    assert city.client().get("/accounts/login/").status_code == 200
    # Signing in stays open; opening a new account on a closed portal does not.
    assert city.client().get("/accounts/signup/").status_code == 503

    admin = _sign_in(city, city_admin.email)
    billing = admin.get("/admin/billing/")
    assert billing.status_code == 200
    # The administrator is told what residents meet meanwhile.
    assert "notice-suspended" in billing.content.decode()
    # Elsewhere in the back office, the closed page points the administrator to billing.
    elsewhere = admin.get("/admin/projects/")
    assert elsewhere.status_code == 503
    assert 'href="/admin/billing/"' in elsewhere.content.decode()

    # A resident who signs in still finds the portal closed; their own account stays theirs.
    person = _sign_in(city, resident.email)
    assert person.get("/").status_code == 503
    assert person.get("/admin/billing/").status_code == 503
    assert person.get("/accounts/").status_code in (200, 302)


def test_the_suspension_page_speaks_the_citys_language_whatever_the_visitor_chose(city, committed):
    with committed():
        change_city_status(city=city.model, status=CityStatus.SUSPENDED)
    client = city.client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert response.status_code == 503
    assert "Ten portal jest chwilowo niedostępny" in response.content.decode()
    assert response["Content-Language"] == "pl"


def test_a_deleted_city_says_it_is_closed_and_lets_in_only_a_support_visit(
    city, city_admin, resident, operator, committed
):
    _consented(city, city_admin)
    with committed():
        soft_delete_city(city=city.model)

    for client in (city.client(), login(city, resident), login(city, city_admin)):
        for path in ("/", "/admin/", "/admin/billing/", "/accounts/login/"):
            response = client.get(path)
            assert response.status_code == 410, path
            html = response.content.decode()
            assert "Ten portal został zamknięty" in html
            # Not the suspension page's promise: the city is being purged.
            assert "Nic nie zginęło" not in html
            assert "wróci" not in html
            assert "chwilowo" not in html

    issued = grant_support_access(
        city=city.model, operator_id=operator.pk, operator_email=operator.email, reason="Eksport"
    )
    support = city.client()
    entry_path = issued.url.split(city.host, 1)[1]
    assert enter_support(support, entry_path, operator).status_code == 302
    inside = support.get("/admin/")
    assert inside.status_code == 200
    assert "notice-deleted" in inside.content.decode()


def test_an_operator_starts_a_support_visit_on_an_archived_city(city, operator, committed):
    # The read-only gate refuses posts; the support entry is one (its code), and a support
    # visit is meant to work in every state, archived included.
    with committed():
        change_city_status(city=city.model, status=CityStatus.ARCHIVED)
    issued = grant_support_access(
        city=city.model, operator_id=operator.pk, operator_email=operator.email, reason="Eksport"
    )
    support = city.client()
    entry_path = issued.url.split(city.host, 1)[1]
    entered = enter_support(support, entry_path, operator)
    assert entered.status_code == 302, entered.content.decode()[:500]
    inside = support.get("/admin/")
    assert inside.status_code == 200
    assert "Archiwum tylko do odczytu." in inside.content.decode()


def test_an_archived_city_is_read_only_for_everyone_with_a_banner(city, city_admin, committed):
    with committed():
        change_city_status(city=city.model, status=CityStatus.ARCHIVED)
    response = city.client().get("/")
    assert response.status_code == 200
    assert "Archiwum tylko do odczytu." in response.content.decode()
    admin = login(city, city_admin)
    assert admin.get("/admin/").status_code == 200
    refused = admin.post("/admin/projects/new/", {})
    assert refused.status_code == 403
    assert "archiwum tylko do odczytu" in refused.content.decode().lower()


def test_staff_preview_a_portal_before_it_opens_and_residents_see_coming_soon(
    city, city_admin, resident, committed
):
    from ratusz.tenants.models import City

    with committed():
        City.objects.filter(pk=city.model.pk).update(opened_at=None)
        from ratusz.tenants.routing import forget_city

        forget_city(city.model.pk)
    assert city.client().get("/").status_code == 503
    assert login(city, resident).get("/").status_code == 503
    preview = login(city, city_admin).get("/")
    assert preview.status_code == 200


def test_an_unknown_host_is_a_friendly_page_on_every_path(db):
    for path in ("/", "/admin/", "/admin/billing/", "/accounts/login/", "/support/enter/x/"):
        for method in ("get", "post"):
            response = getattr(Client(HTTP_HOST="nikt.localhost"), method)(path)
            assert response.status_code == 404, (method, path)
            assert "There is no consultation portal" in response.content.decode()


def _not_open_yet(city) -> None:
    from ratusz.tenants.models import City
    from ratusz.tenants.routing import forget_city

    City.objects.filter(pk=city.model.pk).update(opened_at=None)
    forget_city(city.model.pk)


def test_residents_cannot_sign_up_before_the_portal_opens_but_staff_get_in(
    city, city_admin, committed, mailoutbox, eager_tasks
):
    """A trial city whose e-mail is not confirmed took sign-ups and mailed in its name."""
    from ratusz.accounts.models import User
    from ratusz.accounts.services import accept_invitation, create_invitation

    _consented(city, city_admin)
    with committed():
        _not_open_yet(city)
    visitor = city.client()
    assert visitor.get("/accounts/signup/").status_code == 503
    with committed():  # (an e-mail would go out on commit)
        refused = visitor.post(
            "/accounts/signup/", {"email": "nowy@example.org", "password1": PASSWORD}
        )
    assert refused.status_code == 503
    assert "Ten portal wkrótce zostanie otwarty" in refused.content.decode()
    with city_context(city.ref):
        assert not User.objects.filter(email="nowy@example.org").exists()
    assert mailoutbox == []
    # Nothing offers it meanwhile; the administrator signs in, invited staff join.
    sign_in_page = visitor.get("/accounts/login/").content.decode()
    assert 'href="/accounts/signup/' not in sign_in_page
    assert _sign_in(city, city_admin.email).get("/").status_code == 200
    with city_context(city.ref):
        issued = create_invitation(email="kierownik@gdansk.example", role="project_manager")
    assert visitor.get(f"/invitation/{issued.token}/").status_code == 200
    with city_context(city.ref):
        assert accept_invitation(token=issued.token, full_name="K", password=PASSWORD).pk


def test_an_archived_portal_keeps_residents_own_accounts_and_nothing_else(
    city, resident, committed, mailoutbox, eager_tasks
):
    """Archived: residents sign in, reset their password, take their data, leave; nobody
    signs up or takes part, and no page offers to create an account."""
    from ratusz.accounts.models import User

    _consented(city, resident)
    with committed():
        change_city_status(city=city.model, status=CityStatus.ARCHIVED)
    visitor = city.client()
    home = visitor.get("/").content.decode()
    assert "Archiwum tylko do odczytu." in home
    assert 'href="/accounts/signup/' not in home
    assert 'href="/accounts/signup/' not in visitor.get("/accounts/login/").content.decode()
    for response in (
        visitor.get("/accounts/signup/"),
        visitor.post("/accounts/signup/", {"email": "nowy@example.org", "password1": PASSWORD}),
    ):
        assert response.status_code == 403
        assert "archiwum tylko do odczytu" in response.content.decode().lower()

    with committed():  # (the e-mail goes out on commit)
        reset = visitor.post("/accounts/password/reset/", {"email": resident.email})
    assert reset.status_code == 302
    assert [message.to for message in mailoutbox] == [[resident.email]]

    person = _sign_in(city, resident.email)
    assert person.post("/accounts/", {"full_name": "Inna"}).status_code == 403  # a change
    data = person.post("/accounts/data/")
    assert data.status_code == 200 and data["Content-Type"] == "application/zip"
    gone = person.post("/accounts/delete/", {"password": PASSWORD})
    assert gone.status_code == 302
    with city_context(city.ref):
        assert not User.objects.filter(pk=resident.pk).exists()
        assert not User.objects.filter(email="nowy@example.org").exists()
