"""A city's own domain: added, explained, verified against DNS (a DNS server of the test,
tests/tenants/fake_dns.py, asked by the production code), and serving only once the city
proved it owns it; the city's subdomain can never be removed."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ratusz.tenants.domains import (
    DomainRefused,
    add_custom_domain,
    challenge,
    remove_custom_domain,
    verify_custom_domain,
)
from ratusz.tenants.entitlements import FeatureNotAllowed, set_entitlements
from ratusz.tenants.models import Domain
from ratusz.tenants.routing import resolve_host
from tests.consultations.test_pages import english

US = "203.0.113.10"
HOST = "konsultacje.gdansk.pl"


@pytest.fixture
def ingress(settings) -> str:
    settings.INGRESS_ADDRESSES = [US]
    return US


def publish_proof(fake_dns, domain: Domain) -> None:
    """The city adds the TXT record shown on its domain page."""
    expected = challenge(domain)
    fake_dns.txt(expected.txt_name, expected.txt_value)


def test_resolving_to_our_ingress_proves_nothing(city, other_city, fake_dns, ingress):
    """Gdańsk points its domain at Ratusz; Springfield claims it too and checks: every city
    answers on the ingress, so resolving there must not hand Springfield the domain."""
    fake_dns.a(HOST, US)
    claim = add_custom_domain(city_id=other_city.ref.id, domain=HOST)
    result = verify_custom_domain(city_id=other_city.ref.id, domain_id=claim.pk)
    assert not result.verified
    assert "No record proving that konsultacje.gdansk.pl is yours" in result.message
    assert resolve_host(HOST).kind == "unknown"


def test_the_citys_own_txt_record_verifies_the_domain(city, fake_dns, ingress, committed):
    with committed():
        domain = add_custom_domain(city_id=city.ref.id, domain="Konsultacje.Gdansk.pl")
    assert domain.domain == HOST and domain.verified_at is None
    assert len(domain.verification_token) >= 32
    assert resolve_host(HOST).kind == "unknown"
    expected = challenge(domain)
    assert expected.txt_name == f"_ratusz-challenge.{HOST}"
    assert expected.txt_value == f"ratusz-verification={domain.verification_token}"

    not_yet = verify_custom_domain(city_id=city.ref.id, domain_id=domain.pk)
    assert not not_yet.verified and expected.txt_name in not_yet.message
    fake_dns.txt(expected.txt_name, "ratusz-verification=somebody-elses-code")
    assert not verify_custom_domain(city_id=city.ref.id, domain_id=domain.pk).verified

    publish_proof(fake_dns, domain)
    with committed():
        done = verify_custom_domain(city_id=city.ref.id, domain_id=domain.pk)
    assert done.verified and done.domain.verified_at is not None
    # Proved, but not pointing to us yet: the message says what is left to do.
    assert f"once it points to Ratusz: a CNAME record to {city.host}" in done.message
    route = resolve_host(HOST)
    assert route.kind == "city" and route.city is not None and route.city.id == city.ref.id
    fake_dns.a(HOST, US)
    again = verify_custom_domain(city_id=city.ref.id, domain_id=domain.pk)
    assert again.verified and "is verified and serves your portal" in again.message


def test_a_cname_to_the_citys_own_subdomain_verifies_and_to_another_does_not(
    city, other_city, fake_dns
):
    domain = add_custom_domain(city_id=city.ref.id, domain=HOST)
    fake_dns.cname(HOST, other_city.host)
    wrong = verify_custom_domain(city_id=city.ref.id, domain_id=domain.pk)
    assert not wrong.verified
    assert f"points to {other_city.host}, not to {city.host}" in wrong.message
    fake_dns.cname(HOST, city.host.upper() + ".")
    done = verify_custom_domain(city_id=city.ref.id, domain_id=domain.pk)
    assert done.verified and "is verified and serves your portal" in done.message


def test_two_cities_may_claim_a_name_but_only_the_owner_gets_it(city, other_city, fake_dns):
    theirs = add_custom_domain(city_id=other_city.ref.id, domain=HOST)
    mine = add_custom_domain(city_id=city.ref.id, domain=HOST)  # an unproved claim is no block
    assert theirs.verification_token != mine.verification_token
    publish_proof(fake_dns, mine)
    # Springfield's code is not in DNS; Gdańsk's does not prove Springfield's claim.
    assert not verify_custom_domain(city_id=other_city.ref.id, domain_id=theirs.pk).verified
    assert verify_custom_domain(city_id=city.ref.id, domain_id=mine.pk).verified
    publish_proof(fake_dns, theirs)  # even with its own record now, the name is taken
    with pytest.raises(DomainRefused, match="already verified for another city"):
        verify_custom_domain(city_id=other_city.ref.id, domain_id=theirs.pk)
    with pytest.raises(DomainRefused, match="already verified for another city"):
        add_custom_domain(city_id=other_city.ref.id, domain=HOST)
    assert Domain.objects.get(pk=theirs.pk).verified_at is None
    assert resolve_host(HOST).city.id == city.ref.id  # type: ignore[union-attr]  # asserted city


def test_the_database_keeps_one_verified_city_per_name(city, other_city):
    mine = add_custom_domain(city_id=city.ref.id, domain=HOST)
    theirs = add_custom_domain(city_id=other_city.ref.id, domain=HOST.upper())
    Domain.objects.filter(pk=mine.pk).update(verified_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Domain.objects.filter(pk=theirs.pk).update(verified_at=timezone.now())
    with pytest.raises(DomainRefused, match="one of your domains already"):
        add_custom_domain(city_id=city.ref.id, domain=HOST)


def test_dns_that_does_not_answer_is_a_clear_not_yet(city, settings):
    settings.DNS_NAMESERVERS = ["127.0.0.1:9"]  # nothing answers there
    settings.DNS_TIMEOUT = 0.5
    domain = add_custom_domain(city_id=city.ref.id, domain=HOST)
    result = verify_custom_domain(city_id=city.ref.id, domain_id=domain.pk)
    assert not result.verified and "No record proving" in result.message


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("not a domain", "is not a domain name"),
        ("http://", "is not a domain name"),
        ("gdansk-test.localhost", "Addresses under localhost are ours"),
    ],
)
def test_bad_domains_are_refused(city, typed, message):
    with pytest.raises(DomainRefused, match=message):
        add_custom_domain(city_id=city.ref.id, domain=typed)


def test_another_city_can_neither_verify_nor_remove_a_citys_domain(city, other_city):
    mine = add_custom_domain(city_id=city.ref.id, domain=HOST)
    with pytest.raises(DomainRefused):
        verify_custom_domain(city_id=other_city.ref.id, domain_id=mine.pk)
    with pytest.raises(DomainRefused):
        remove_custom_domain(city_id=other_city.ref.id, domain_id=mine.pk)
    assert Domain.objects.filter(pk=mine.pk).exists()


def test_the_citys_subdomain_is_never_removed(city, committed):
    primary = Domain.objects.get(tenant_id=city.ref.id, is_primary=True)
    with pytest.raises(DomainRefused, match="main address and cannot be removed"):
        remove_custom_domain(city_id=city.ref.id, domain_id=primary.pk)
    custom = add_custom_domain(city_id=city.ref.id, domain="konsultacje.gdansk.pl")
    Domain.objects.filter(pk=custom.pk).update(verified_at="2026-01-01T00:00:00Z")
    assert resolve_host("konsultacje.gdansk.pl").kind == "city"  # now cached
    with committed():
        remove_custom_domain(city_id=city.ref.id, domain_id=custom.pk)
    assert resolve_host("konsultacje.gdansk.pl").kind == "unknown"  # cache forgotten
    assert resolve_host(city.host).kind == "city"


def test_the_plan_gates_custom_domains(city, city_admin):
    set_entitlements(city=city.model, features={"custom_domain": False})
    with pytest.raises(FeatureNotAllowed):
        add_custom_domain(city_id=city.ref.id, domain="konsultacje.gdansk.pl")
    html = english(city, city_admin).get("/admin/site/domain/").content.decode()
    assert "Custom domain is not part of your plan" in html
    response = english(city, city_admin).post(
        "/admin/site/domain/", {"domain": "konsultacje.gdansk.pl"}
    )
    assert not Domain.objects.filter(domain="konsultacje.gdansk.pl").exists()
    assert response.status_code == 400


def test_the_domain_page_shows_each_domains_own_records_and_checks_them(
    city, other_city, city_admin, fake_dns
):
    client = english(city, city_admin)
    assert client.post("/admin/site/domain/", {"domain": HOST}).status_code == 302
    domain = Domain.objects.get(domain=HOST, tenant_id=city.ref.id)
    expected = challenge(domain)
    page = client.get("/admin/site/domain/").content.decode()
    assert HOST in page and "not serving yet" in page
    assert f"DNS records for {HOST}" in page
    assert f"<code>{expected.txt_name}</code>" in page
    assert f"<code>{expected.txt_value}</code>" in page
    assert f"<code>{city.host}.</code>" in page  # the CNAME's value
    checked = client.post(f"/admin/site/domain/{domain.pk}/verify/", follow=True)
    assert "No record proving that" in checked.content.decode()
    publish_proof(fake_dns, domain)
    checked = client.post(f"/admin/site/domain/{domain.pk}/verify/", follow=True)
    assert f"{HOST} is verified as yours" in checked.content.decode()
    bad = client.post("/admin/site/domain/", {"domain": "zła domena"})
    assert bad.status_code == 400 and "is not a domain name" in bad.content.decode()
    removed = client.post(f"/admin/site/domain/{domain.pk}/remove/")
    assert removed.status_code == 302
    assert not Domain.objects.filter(pk=domain.pk).exists()


def test_a_domain_verified_for_another_city_is_refused_in_the_page(city, other_city, city_admin):
    theirs = add_custom_domain(city_id=other_city.ref.id, domain=HOST)
    Domain.objects.filter(pk=theirs.pk).update(verified_at=timezone.now())
    response = english(city, city_admin).post("/admin/site/domain/", {"domain": HOST})
    assert response.status_code == 400
    assert "is already verified for another city on Ratusz" in response.content.decode()
    assert not Domain.objects.filter(tenant_id=city.ref.id, domain=HOST).exists()
