"""Custom domains from the operator console: added and verified through the tenants' domain
services (DNS answered by the tests' DNS server), every action confirmed and audited in the
same transaction, every refusal shown in the page and nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.platform.models import AuditEntry
from ratusz.tenants.context import city_context
from ratusz.tenants.domains import add_custom_domain, challenge
from ratusz.tenants.entitlements import set_entitlements
from ratusz.tenants.models import Domain
from ratusz.tenants.routing import resolve_host
from tests.conftest import force_login_with_second_factor
from tests.tenants.fake_dns import FakeDns

US = "203.0.113.10"
HOST = "konsultacje.gdansk.pl"


@pytest.fixture
def console(operator, control_client) -> Client:
    """A signed-in operator with two-factor authentication."""
    Authenticator.objects.create(user=operator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    force_login_with_second_factor(control_client, operator)
    return control_client


@pytest.fixture
def dns(fake_dns, settings) -> FakeDns:
    """The DNS Ratusz asks, empty until the test adds records; Ratusz answers on US."""
    settings.INGRESS_ADDRESSES = [US]
    return fake_dns


def add_url(city: Any) -> str:
    return f"/console/cities/{city.model.slug}/domains/add/"


def verify_url(city: Any, domain: Domain) -> str:
    return f"/console/cities/{city.model.slug}/domains/{domain.pk}/verify/"


def audit(action: str, city: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, city_id=city.model.pk).order_by("pk"))


def html(response: Any) -> str:
    return response.content.decode()


# --- Adding ----------------------------------------------------------------------------------


def test_the_city_page_offers_the_add_form_and_a_verify_link(console, city):
    custom = add_custom_domain(city_id=city.model.pk, domain=HOST)
    page = html(console.get(f"/console/cities/{city.model.slug}/"))
    assert f'action="{add_url(city)}"' in page
    assert '<label for="id_domain_domain">Domain name</label>' in page
    assert f"a CNAME record pointing to {city.host}, or a TXT record" in page
    assert f'href="{verify_url(city, custom)}"' in page
    # The city's own subdomain is never offered for verification.
    primary = Domain.objects.get(tenant_id=city.model.pk, is_primary=True)
    assert f'href="{verify_url(city, primary)}"' not in page


def test_an_operator_adds_a_domain_unverified_and_audited(console, city, committed):
    assert console.get(add_url(city)).status_code == 200
    with committed():
        response = console.post(
            add_url(city),
            {"domain": "Konsultacje.Gdansk.pl", "reason": "asked by the city", "confirm": "on"},
            follow=True,
        )
    assert response.status_code == 200
    assert f"{HOST} was added. It serves once the city proves it owns it" in html(response)
    domain = Domain.objects.get(domain=HOST)
    assert domain.tenant_id == city.model.pk and domain.verified_at is None
    # Unverified: the city does not answer on it yet.
    assert resolve_host(HOST).kind == "unknown"
    [entry] = audit("domain.add", city)
    assert entry.after == {"domain": HOST}
    assert entry.reason == "asked by the city"
    assert entry.actor_email == "operator@ratusz.example"


def test_adding_must_be_confirmed(console, city):
    response = console.post(add_url(city), {"domain": HOST})
    assert response.status_code == 400
    assert "Tick the box to confirm." in html(response)
    assert not Domain.objects.filter(domain=HOST).exists()
    assert audit("domain.add", city) == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the domain name."),
        ("not a domain", "“not a domain” is not a domain name. Write it like"),
        ("https://", "is not a domain name"),
        ("gdansk.localhost", "Addresses under localhost are ours; enter a domain of your own."),
        ("https://Gdansk-Test.LOCALHOST/admin/", "Addresses under localhost are ours"),
    ],
)
def test_bad_hosts_are_refused_next_to_the_field(console, city, typed, message):
    kept = add_custom_domain(city_id=city.model.pk, domain="stary.gdansk.pl")
    before = set(Domain.objects.values_list("domain", flat=True))
    response = console.post(add_url(city), {"domain": typed, "confirm": "on"})
    assert response.status_code == 400
    page = html(response)
    assert 'class="error-summary"' in page
    assert message in page
    assert 'id="id_domain_domain-error"' in page  # next to the field, not only in the summary
    # Nothing new saved or audited; what was saved before is still there.
    assert set(Domain.objects.values_list("domain", flat=True)) == before
    assert Domain.objects.filter(pk=kept.pk).exists()
    assert audit("domain.add", city) == []


def test_a_host_verified_for_another_city_is_refused(console, city, other_city):
    theirs = add_custom_domain(city_id=other_city.model.pk, domain=HOST)
    Domain.objects.filter(pk=theirs.pk).update(verified_at=timezone.now())
    response = console.post(add_url(city), {"domain": HOST.upper(), "confirm": "on"})
    assert response.status_code == 400
    assert f"“{HOST}” is already verified for another city on Ratusz." in html(response)
    assert list(Domain.objects.filter(domain__iexact=HOST)) == [theirs]
    assert Domain.objects.get(pk=theirs.pk).tenant_id == other_city.model.pk
    assert audit("domain.add", city) == [] and audit("domain.add", other_city) == []


def test_a_host_another_city_claimed_without_proof_can_be_claimed_too(console, city, other_city):
    theirs = add_custom_domain(city_id=other_city.model.pk, domain=HOST)
    response = console.post(add_url(city), {"domain": HOST, "confirm": "on"})
    assert response.status_code == 302
    mine = Domain.objects.get(domain=HOST, tenant_id=city.model.pk)
    assert mine.verification_token != theirs.verification_token
    assert Domain.objects.get(pk=theirs.pk).tenant_id == other_city.model.pk


def test_a_city_without_custom_domains_in_its_plan_is_refused_in_the_page(console, city):
    set_entitlements(city=city.model, features={"custom_domain": False})
    response = console.post(add_url(city), {"domain": HOST, "confirm": "on"})
    assert response.status_code == 400
    assert "Custom domain is not part of your plan" in html(response)
    assert not Domain.objects.filter(domain=HOST).exists()
    assert audit("domain.add", city) == []


# --- Verifying -------------------------------------------------------------------------------


def test_verifying_asks_for_the_citys_proof_and_audits_each_check(
    console, city, other_city, dns, committed
):
    domain = add_custom_domain(city_id=city.model.pk, domain=HOST)
    expected = challenge(domain)
    page = html(console.get(verify_url(city, domain)))
    assert f"Verify the domain {HOST}" in page and 'name="confirm"' in page
    # The page shows this city's own records for this domain.
    assert f"<code>{expected.txt_name}</code>" in page
    assert f"<code>{expected.txt_value}</code>" in page
    assert f"<code>{city.host}.</code>" in page

    # Nothing in DNS yet: a warning in the page, still unverified.
    response = console.post(verify_url(city, domain), {"confirm": "on"}, follow=True)
    assert f"No record proving that {HOST} is yours was found yet" in html(response)
    # Pointing to our ingress, even to another city's subdomain, proves nothing.
    dns.a(HOST, US)
    dns.cname(HOST, other_city.host)
    response = console.post(verify_url(city, domain), {"confirm": "on"}, follow=True)
    assert f"{HOST} points to {other_city.host}, not to {city.host}" in html(response)
    assert Domain.objects.get(pk=domain.pk).verified_at is None
    assert resolve_host(HOST).kind == "unknown"

    # The city's CNAME to its own subdomain: verified, and it answers on it at once.
    dns.forget(HOST)
    dns.cname(HOST, city.host)
    with committed():
        response = console.post(
            verify_url(city, domain), {"confirm": "on", "reason": "DNS done"}, follow=True
        )
    assert f"{HOST} is verified and serves your portal." in html(response)
    assert Domain.objects.get(pk=domain.pk).verified_at is not None
    route = resolve_host(HOST)
    assert route.kind == "city" and route.city is not None and route.city.id == city.model.pk

    entries = audit("domain.verify", city)
    assert [e.after["verified"] for e in entries] == [False, False, True]
    assert entries[-1].reason == "DNS done" and entries[-1].after["verified_at"]
    assert all(e.actor_email == "operator@ratusz.example" for e in entries)


def test_verifying_must_be_confirmed(console, city, dns):
    domain = add_custom_domain(city_id=city.model.pk, domain=HOST)
    dns.cname(HOST, city.host)
    response = console.post(verify_url(city, domain), {})
    assert response.status_code == 400
    assert "Tick the box to confirm." in html(response)
    assert Domain.objects.get(pk=domain.pk).verified_at is None
    assert audit("domain.verify", city) == []


def test_the_citys_subdomain_is_not_verified_as_a_custom_domain(console, city, dns):
    primary = Domain.objects.get(tenant_id=city.model.pk, is_primary=True)
    response = console.post(verify_url(city, primary), {"confirm": "on"})
    assert response.status_code == 400
    assert "This domain is not one of your own domains." in html(response)
    assert audit("domain.verify", city) == []


def test_another_citys_domain_cannot_be_reached_through_this_city(console, city, other_city, dns):
    theirs = add_custom_domain(city_id=other_city.model.pk, domain=HOST)
    dns.cname(HOST, other_city.host)
    assert console.get(verify_url(city, theirs)).status_code == 404
    assert console.post(verify_url(city, theirs), {"confirm": "on"}).status_code == 404
    assert Domain.objects.get(pk=theirs.pk).verified_at is None
    assert audit("domain.verify", city) == [] and audit("domain.verify", other_city) == []


# --- Permissions -----------------------------------------------------------------------------


def test_only_operators_add_or_verify_domains(control_client, city, city_admin, dns):
    domain = add_custom_domain(city_id=city.model.pk, domain="stary.gdansk.pl")
    dns.cname("stary.gdansk.pl", city.host)
    # Signed out: sent to sign in.
    response = control_client.post(add_url(city), {"domain": HOST, "confirm": "on"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # A partner account on the control plane is refused.
    partner = User.objects.create_user("partner@example.com", "pw", role=Role.PARTNER)
    control_client.force_login(partner)
    assert control_client.post(add_url(city), {"domain": HOST, "confirm": "on"}).status_code == 403
    assert control_client.post(verify_url(city, domain), {"confirm": "on"}).status_code == 403
    # The city's administrator on the city's host never reaches the console.
    client = city.client()
    with city_context(city.ref):
        client.force_login(city_admin)
    assert client.post(add_url(city), {"domain": HOST, "confirm": "on"}).status_code == 404
    assert not Domain.objects.filter(domain=HOST).exists()
    assert Domain.objects.get(pk=domain.pk).verified_at is None
    assert AuditEntry.objects.filter(action__startswith="domain.").count() == 0
