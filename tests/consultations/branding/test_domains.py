"""A city's own domain: added, explained, verified against DNS (a fake resolver here), and
serving only once verified; the city's subdomain can never be removed."""

from __future__ import annotations

import socket

import pytest

from ratusz.tenants.domains import (
    DomainRefused,
    add_custom_domain,
    remove_custom_domain,
    verify_custom_domain,
)
from ratusz.tenants.entitlements import FeatureNotAllowed, set_entitlements
from ratusz.tenants.models import Domain
from ratusz.tenants.routing import resolve_host
from tests.consultations.test_pages import english

US = "203.0.113.10"


def resolver(table: dict[str, list[str]]):
    def resolve(name, port, *args, **kwargs):
        if name not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, 0)) for ip in table[name]]

    return resolve


def test_a_domain_serves_only_once_it_resolves_to_us(city, committed):
    with committed():
        domain = add_custom_domain(city_id=city.ref.id, domain="Konsultacje.Gdansk.pl")
    assert domain.domain == "konsultacje.gdansk.pl" and domain.verified_at is None
    assert resolve_host("konsultacje.gdansk.pl").kind == "unknown"
    ours = {city.host: [US]}
    not_yet = verify_custom_domain(
        city_id=city.ref.id, domain_id=domain.pk, resolver=resolver(ours)
    )
    assert not not_yet.verified and "does not resolve yet" in not_yet.message
    elsewhere = verify_custom_domain(
        city_id=city.ref.id,
        domain_id=domain.pk,
        resolver=resolver({**ours, "konsultacje.gdansk.pl": ["198.51.100.7"]}),
    )
    assert not elsewhere.verified
    assert "resolves to 198.51.100.7, not to Ratusz (203.0.113.10)" in elsewhere.message
    assert f"CNAME record points to {city.host}" in elsewhere.message
    assert resolve_host("konsultacje.gdansk.pl").kind == "unknown"
    with committed():
        done = verify_custom_domain(
            city_id=city.ref.id,
            domain_id=domain.pk,
            resolver=resolver({**ours, "konsultacje.gdansk.pl": [US]}),
        )
    assert done.verified and done.domain.verified_at is not None
    route = resolve_host("konsultacje.gdansk.pl")
    assert route.kind == "city" and route.city is not None and route.city.id == city.ref.id


def test_configured_ingress_addresses_are_used(city, settings):
    settings.INGRESS_ADDRESSES = [US]
    domain = add_custom_domain(city_id=city.ref.id, domain="konsultacje.gdansk.pl")
    result = verify_custom_domain(
        city_id=city.ref.id,
        domain_id=domain.pk,
        resolver=resolver({"konsultacje.gdansk.pl": [US]}),  # our own names do not resolve
    )
    assert result.verified


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


def test_a_domain_belongs_to_one_city_only(city, other_city):
    add_custom_domain(city_id=city.ref.id, domain="konsultacje.gdansk.pl")
    with pytest.raises(DomainRefused, match="already in use"):
        add_custom_domain(city_id=other_city.ref.id, domain="KONSULTACJE.gdansk.pl")
    mine = Domain.objects.get(domain="konsultacje.gdansk.pl")
    # Another city can neither verify nor remove it.
    with pytest.raises(DomainRefused):
        verify_custom_domain(city_id=other_city.ref.id, domain_id=mine.pk, resolver=resolver({}))
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


def test_the_domain_page_explains_the_dns_record_and_adds_the_domain(city, city_admin):
    client = english(city, city_admin)
    html = client.get("/admin/site/domain/").content.decode()
    assert f"CNAME  {city.host}." in html
    assert (
        client.post("/admin/site/domain/", {"domain": "konsultacje.gdansk.pl"}).status_code == 302
    )
    page = client.get("/admin/site/domain/").content.decode()
    assert "konsultacje.gdansk.pl" in page and "not serving yet" in page
    bad = client.post("/admin/site/domain/", {"domain": "zła domena"})
    assert bad.status_code == 400 and "is not a domain name" in bad.content.decode()
    domain = Domain.objects.get(domain="konsultacje.gdansk.pl")
    removed = client.post(f"/admin/site/domain/{domain.pk}/remove/")
    assert removed.status_code == 302
    assert not Domain.objects.filter(pk=domain.pk).exists()
