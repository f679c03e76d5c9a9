"""Partner consultants: set up cities for municipalities, open their back offices, see only
their own municipalities, and lose access at once when the city revokes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.consultations.core import services as consultations
from ratusz.onboarding import services
from ratusz.onboarding.models import PartnerAccess, PartnerCity, PartnerMembership, Signup
from ratusz.onboarding.selectors import city_ref, onboarding_checklist, partner_cities
from ratusz.tenants.context import city_context
from ratusz.tenants.models import City
from tests.onboarding.conftest import PASSWORD, host_of, make_partner, path_of, wizard_data

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client(HTTP_HOST=settings.BASE_DOMAIN)
    client.force_login(user)
    return client


def set_up_city(partner: User, committed, **overrides) -> City:
    with committed():
        response = signed_in(partner).post("/partners/new-city/", wizard_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/partners/"
    return City.objects.get(slug=overrides.get("slug", "zielona"))


def city_login(city: City, client: Client, user: User) -> None:
    """Sessions of a city live in its schema."""
    with city_context(city_ref(city)):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def session_user(city: City, client: Client) -> int | None:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is None:
        return None
    with city_context(city_ref(city)):
        value = SessionStore(session_key=cookie.value).get("_auth_user_id")
    return int(value) if value else None


def city_account(city: City, email: str) -> User:
    with city_context(city_ref(city)):
        return User.objects.get(email=email)


def test_partner_sets_up_a_city_for_a_municipality(partner, organisation, committed, outbox):
    city = set_up_city(partner, committed)
    link = PartnerCity.objects.get(city_id=city.pk)
    assert link.organisation == organisation and link.created_by == partner
    assert Signup.objects.get(city_id=city.pk).partner == organisation
    # The municipality's administrator is e-mailed; the partner has a partner account there.
    assert any("ewa@zielona.example" in m.to for m in outbox)
    assert city_account(city, "ewa@zielona.example").role == Role.ADMINISTRATOR
    account = city_account(city, partner.email)
    assert account.role == Role.PARTNER and account.is_active


def test_dashboard_lists_only_own_municipalities(partner, other_partner, committed):
    set_up_city(partner, committed)
    set_up_city(other_partner, committed, slug="niebieska", name="Gmina Niebieska")
    mine = signed_in(partner).get("/partners/").content.decode()
    assert "Gmina Zielona" in mine and "Gmina Niebieska" not in mine
    theirs = signed_in(other_partner).get("/partners/").content.decode()
    assert "Gmina Niebieska" in theirs and "Gmina Zielona" not in theirs
    assert "First project published" in mine


def test_partner_opens_its_city_but_not_another(partner, other_partner, committed):
    city = set_up_city(partner, committed)
    refused = signed_in(other_partner).post(f"/partners/cities/{city.pk}/open/")
    assert refused.status_code == 403
    assert "does not manage" in refused.content.decode()

    opened = signed_in(partner).post(f"/partners/cities/{city.pk}/open/")
    assert opened.status_code == 302 and host_of(opened["Location"]) == "zielona.localhost"
    browser = Client(HTTP_HOST="zielona.localhost")
    assert browser.get(path_of(opened["Location"])).status_code == 302
    account = city_account(city, partner.email)
    assert session_user(city, browser) == account.pk


def test_revoked_partner_loses_access_at_once(partner, committed):
    made = set_up_city(partner, committed)
    opened = signed_in(partner).post(f"/partners/cities/{made.pk}/open/")
    browser = Client(HTTP_HOST="zielona.localhost")
    browser.get(path_of(opened["Location"]))
    assert session_user(made, browser) == city_account(made, partner.email).pk

    admin_browser = Client(HTTP_HOST="zielona.localhost")
    city_login(made, admin_browser, city_account(made, "ewa@zielona.example"))
    page = admin_browser.get("/welcome/partner-access/").content.decode()
    assert partner.email in page and "Konsultanci" in page
    assert admin_browser.post("/welcome/partner-access/", {"action": "revoke"}).status_code == 302

    assert PartnerCity.objects.get(city_id=made.pk).access == PartnerAccess.REVOKED
    assert not city_account(made, partner.email).is_active
    # The partner's open session in the city is gone on the very next request.
    assert browser.get("/welcome/partner-access/").status_code == 302
    assert browser.get("/admin/").status_code == 302  # sent to sign in: anonymous now
    # And the dashboard cannot open the city again.
    assert signed_in(partner).post(f"/partners/cities/{made.pk}/open/").status_code == 403
    # Attribution is kept for commissions.
    assert PartnerCity.objects.filter(city_id=made.pk).exists()


@pytest.mark.parametrize("keep", [True, False])
def test_hand_over(partner, committed, keep):
    city = set_up_city(partner, committed)
    link = services.hand_over_city(city=city_ref(city), keep_as_consultant=keep)
    assert link.access == (PartnerAccess.CONSULTANT if keep else PartnerAccess.ENDED)
    assert city_account(city, partner.email).is_active is keep
    opened = signed_in(partner).post(f"/partners/cities/{city.pk}/open/")
    assert opened.status_code == (302 if keep else 403)


def test_hand_over_twice_is_refused(partner, committed):
    city = set_up_city(partner, committed)
    services.hand_over_city(city=city_ref(city), keep_as_consultant=False)
    with pytest.raises(services.PartnerRefused):
        services.hand_over_city(city=city_ref(city), keep_as_consultant=True)


def test_only_the_citys_administrators_see_partner_access(city, resident):
    client = city.client()
    assert client.get("/welcome/partner-access/").status_code == 302
    city_login(city.model, client, resident)
    assert client.get("/welcome/partner-access/").status_code == 403


def test_partner_pages_need_a_partner(control_client, operator, partner):
    assert control_client.get("/partners/")["Location"].startswith("/partners/sign-in/")
    assert signed_in(operator).get("/partners/").status_code == 403
    assert signed_in(operator).get("/partners/new-city/").status_code == 403
    # Sign in with the password chosen when accepting the invitation.
    response = control_client.post(
        "/partners/sign-in/", {"login": partner.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/partners/"


def test_partner_invites_a_colleague(partner, organisation, control_client, committed, outbox):
    with committed():
        response = signed_in(partner).post(
            "/partners/invite/", {"email": "kolega@partner.example", "full_name": "Kolega"}
        )
    assert response.status_code == 302
    message = next(m for m in outbox if "kolega@partner.example" in m.to)
    path = (
        "/partners/invitation/" + message.body.split("/partners/invitation/")[1].split("/")[0] + "/"
    )
    accepted = control_client.post(path, {"full_name": "Kolega", "password": PASSWORD})
    assert accepted.status_code == 302
    colleague = User.objects.get(email="kolega@partner.example")
    assert colleague.role == Role.PARTNER
    assert PartnerMembership.objects.get(user=colleague).organisation == organisation
    # Reused invitation: a clear page.
    assert control_client.get(path).status_code == 410


def test_partner_cannot_invite_into_another_organisation(partner, other_organisation):
    with pytest.raises(services.PartnerRefused):
        services.invite_partner(
            organisation=other_organisation, email="x@example.com", invited_by=partner
        )


def test_colleague_sees_the_organisations_cities(partner, organisation, committed):
    city = set_up_city(partner, committed)
    colleague = make_partner(organisation, "druga@partner.example")
    assert [row.city.pk for row in partner_cities(organisation)] == [city.pk]
    opened = signed_in(colleague).post(f"/partners/cities/{city.pk}/open/")
    assert opened.status_code == 302
    assert city_account(city, colleague.email).role == Role.PARTNER


def test_checklist_reads_the_citys_real_state(city, other_city):
    def done(which):
        return {item.key: item.done for item in onboarding_checklist(which.model)}

    assert done(city) == {
        "branding": False,
        "languages": True,
        "accessibility": False,
        "project": False,
        "participants": False,
        "answer": False,
    }
    with city_context(other_city.ref):
        project = consultations.create_project(slug="park", title={"en": "Park"})
        consultations.add_phase(
            project=project,
            method="information",
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(days=5),
            default_language="en",
        )
        consultations.publish_project(project=project)
    # Another city's project does not count here.
    assert done(city)["project"] is False
    assert done(other_city)["project"] is True


def test_the_dashboard_lets_its_open_buttons_reach_a_city_on_its_own_domain(partner, committed):
    """The Content-Security-Policy's form-action follows the open button's redirect, so the
    dashboard names each city's host, also a custom domain."""
    from ratusz.tenants.models import Domain

    city = set_up_city(partner, committed)
    Domain.objects.filter(tenant=city).update(is_primary=False)
    Domain.objects.create(domain="konsultacje.zielona.example", tenant=city, is_primary=True)
    policy = signed_in(partner).get("/partners/")["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert "//konsultacje.zielona.example" in form_action
    assert "'self'" in form_action and "https://checkout.stripe.com" in form_action
