"""Download my data and delete my account: the registries other apps fill in."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import pytest
from allauth.account.models import EmailAddress

from ratusz.accounts.models import Consent, Role, User
from ratusz.accounts.personal_data import (
    personal_data_providers,
    register_account_deletion_hook,
    register_personal_data_provider,
    unregister_account_deletion_hook,
    unregister_personal_data_provider,
)
from ratusz.tenants.context import city_context
from tests.accounts.conftest import PASSWORD, force_login, sign_in


@pytest.fixture
def ideas_provider() -> Iterator[list[int]]:
    """A stand-in for the ideation app: registers what it holds about a person."""
    asked: list[int] = []

    def ideas_of(user: User) -> list[dict[str, str]]:
        asked.append(user.pk)
        return [{"title": "Więcej ławek nad Motławą", "author": user.email}]

    register_personal_data_provider("ideas", ideas_of)
    yield asked
    unregister_personal_data_provider("ideas")


@pytest.fixture
def deletion_hook() -> Iterator[list[tuple[int, str]]]:
    """A stand-in for an app that anonymises what the person wrote."""
    called: list[tuple[int, str]] = []

    def anonymise(user: User) -> None:
        assert User.objects.filter(pk=user.pk).exists()  # still there while hooks run
        called.append((user.pk, user.email))

    register_account_deletion_hook(anonymise)
    yield called
    unregister_account_deletion_hook(anonymise)


def test_download_my_data_is_a_zip_with_profile_and_each_provider(
    city, resident_with_consent, ideas_provider
):
    client = city.client()
    sign_in(client, "anna@example.com")
    page = client.get("/accounts/data/")
    assert page.status_code == 200
    assert "Pobierz moje dane" in page.content.decode()

    response = client.post("/accounts/data/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment;" in response["Content-Disposition"]
    assert "gdansk-test-" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    # profile.json, ours, and whatever the installed apps registered.
    expected = {"profile.json"} | {f"{name}.json" for name in personal_data_providers()}
    assert "ideas.json" in expected
    assert set(archive.namelist()) == expected
    profile = json.loads(archive.read("profile.json"))
    assert profile["account"]["email"] == "anna@example.com"
    assert profile["account"]["name"] == "Anna Nowak"
    assert {(c["document"], c["version"]) for c in profile["consents"]} == {
        ("terms", 1),
        ("privacy", 1),
    }
    assert profile["email_addresses"] == [
        {"email": "anna@example.com", "verified": True, "primary": True}
    ]
    ideas = json.loads(archive.read("ideas.json"))
    assert ideas == [{"title": "Więcej ławek nad Motławą", "author": "anna@example.com"}]
    assert ideas_provider == [resident_with_consent.pk]


def test_provider_names_are_file_names_and_unique():
    def provider(user: User) -> None:
        return None

    for bad in ("profile", "../etc", "Ideas", ""):
        with pytest.raises(ValueError):
            register_personal_data_provider(bad, provider)
    register_personal_data_provider("comments", provider)
    try:
        register_personal_data_provider("comments", provider)  # the same again: fine
        with pytest.raises(ValueError):
            register_personal_data_provider("comments", lambda user: None)
    finally:
        unregister_personal_data_provider("comments")


def test_delete_my_account_needs_the_password(city, resident_with_consent, deletion_hook):
    client = city.client()
    sign_in(client, "anna@example.com")
    response = client.post("/accounts/delete/", {"password": "nie-to-haslo"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "To nie jest Twoje hasło." in html
    assert 'aria-describedby="id_password_error"' in html
    assert deletion_hook == []
    with city_context(city.ref):
        assert User.objects.filter(pk=resident_with_consent.pk).exists()


def test_delete_my_account(city, resident_with_consent, deletion_hook):
    client = city.client()
    sign_in(client, "anna@example.com")
    pk = resident_with_consent.pk
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert deletion_hook == [(pk, "anna@example.com")]
    with city_context(city.ref):
        assert not User.objects.filter(pk=pk).exists()
        assert not EmailAddress.objects.filter(user_id=pk).exists()
        assert not Consent.objects.filter(user_id=pk).exists()
    assert client.get("/accounts/").status_code == 302  # signed out
    assert sign_in(city.client(), "anna@example.com").status_code == 200


def test_a_failing_hook_deletes_nothing(city, resident_with_consent):
    def broken(user: User) -> None:
        raise RuntimeError("ideation is down")

    register_account_deletion_hook(broken)
    try:
        client = city.client(raise_request_exception=False)
        sign_in(client, "anna@example.com")
        assert client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 500
    finally:
        unregister_account_deletion_hook(broken)
    with city_context(city.ref):
        assert User.objects.filter(pk=resident_with_consent.pk).exists()


def test_the_last_administrator_cannot_delete_their_account(city, city_admin):
    with city_context(city.ref):
        assert User.objects.filter(role=Role.ADMINISTRATOR).count() == 1
    client = city.client()
    force_login(city, client, city_admin)
    response = client.post("/accounts/delete/", {"password": "correct horse battery"})
    assert response.status_code == 200
    assert "Jesteś jedynym administratorem" in response.content.decode()
    with city_context(city.ref):
        assert User.objects.filter(pk=city_admin.pk).exists()
