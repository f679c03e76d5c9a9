"""A new version of the terms or of the privacy policy is accepted at the next sign-in."""

from __future__ import annotations

from ratusz.accounts.models import AccountSettings, Consent, PolicyDocument
from ratusz.accounts.selectors import account_settings, pending_policies
from ratusz.accounts.services import publish_policy_version
from ratusz.tenants.context import city_context
from tests.accounts.conftest import force_login, sign_in


def test_every_city_starts_with_version_one(city, other_city):
    for each in (city, other_city):
        with city_context(each.ref):
            assert AccountSettings.objects.count() == 1
            settings = account_settings()
            assert (settings.terms_version, settings.privacy_version) == (1, 1)
            assert not settings.staff_two_factor_required


def test_a_new_terms_version_is_accepted_at_the_next_sign_in(city, resident_with_consent):
    with city_context(city.ref):
        publish_policy_version(
            document=PolicyDocument.TERMS, url="https://gdansk.example/regulamin"
        )
        assert pending_policies(resident_with_consent) == [PolicyDocument.TERMS]

    client = city.client()
    response = client.post(
        "/accounts/login/?next=/accounts/data/",
        {"login": "anna@example.com", "password": "Zielone-jablko-2024"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/consent/?next=%2Faccounts%2Fdata%2F"

    # Until accepted, the rest of the portal leads back to the consent page...
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/consent/?next=%2Faccounts%2F"
    # ...except leaving: data download and account deletion stay open.
    assert client.get("/accounts/delete/").status_code == 200

    page = client.get("/accounts/consent/?next=/accounts/data/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="https://gdansk.example/regulamin"' in html
    assert "wersja 2" in html

    response = client.post(
        "/accounts/consent/",
        {"next": "/accounts/data/", "terms_version": "2", "privacy_version": "1"},
    )
    assert response.status_code == 200  # the box was not ticked
    assert "Aby kontynuować, zaakceptuj regulamin" in response.content.decode()

    response = client.post(
        "/accounts/consent/",
        {
            "next": "/accounts/data/",
            "accept_policies": "on",
            "terms_version": "2",
            "privacy_version": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/data/"
    with city_context(city.ref):
        versions = set(
            Consent.objects.filter(user=resident_with_consent).values_list("document", "version")
        )
    assert versions == {("terms", 1), ("terms", 2), ("privacy", 1)}
    assert client.get("/accounts/").status_code == 200


def test_nothing_is_asked_when_nothing_changed(city, resident_with_consent):
    response = sign_in(city.client(), "anna@example.com")
    assert response["Location"] == "/"


def test_consent_to_an_outdated_version_is_not_recorded(city, resident_with_consent):
    with city_context(city.ref):
        publish_policy_version(document=PolicyDocument.PRIVACY)
    client = city.client()
    sign_in(client, "anna@example.com")
    with city_context(city.ref):
        publish_policy_version(document=PolicyDocument.PRIVACY)  # while the page was open
    response = client.post(
        "/accounts/consent/",
        {"accept_policies": "on", "terms_version": "1", "privacy_version": "2"},
    )
    assert response.status_code == 200
    assert "zmieniły się" in response.content.decode()
    with city_context(city.ref):
        assert pending_policies(resident_with_consent) == [PolicyDocument.PRIVACY]


def test_an_open_redirect_is_not_followed(city, resident_with_consent):
    with city_context(city.ref):
        publish_policy_version(document=PolicyDocument.TERMS)
    client = city.client()
    force_login(city, client, resident_with_consent)
    response = client.post(
        "/accounts/consent/?next=https://evil.example/",
        {"accept_policies": "on", "terms_version": "2", "privacy_version": "1"},
    )
    assert response["Location"] == "/"


def test_versions_are_per_city(city, other_city):
    with city_context(city.ref):
        publish_policy_version(document=PolicyDocument.TERMS)
        assert account_settings().terms_version == 2
    with city_context(other_city.ref):
        assert account_settings().terms_version == 1


def test_initializing_account_settings_is_idempotent(city):
    from ratusz.accounts.services import initialize_account_settings

    with city_context(city.ref):
        first = initialize_account_settings()
        assert initialize_account_settings().pk == first.pk
        assert AccountSettings.objects.count() == 1
