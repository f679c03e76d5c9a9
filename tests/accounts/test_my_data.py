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
    OnDeletion,
    PersonalDataKind,
    personal_data_kinds,
    register_personal_data,
    unregister_personal_data,
)
from ratusz.tenants.context import city_context
from tests.accounts.conftest import PASSWORD, force_login, sign_in


@pytest.fixture
def deletion_step() -> Iterator[list[tuple[int, str]]]:
    """A stand-in for an app's own step on account deletion (e.g. giving a seat away)."""
    called: list[tuple[int, str]] = []

    def step(user: User) -> None:
        assert User.objects.filter(pk=user.pk).exists()  # still there while steps run
        called.append((user.pk, user.email))

    kind = PersonalDataKind(
        name="zz-stand-in", label="Stand-in", model="ideation.Follow", person_fields=("user",),
        on_deletion=OnDeletion.DELETE, before_deletion=step,
    )  # fmt: skip
    register_personal_data(kind)
    yield called
    unregister_personal_data(kind)


def test_download_my_data_is_a_zip_with_profile_readme_and_each_kind(city, resident_with_consent):
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
    kinds = personal_data_kinds()
    expected = {"profile.json", "README.txt"} | {
        f"{kind.name}.{ext}" for kind in kinds for ext in ("json", "csv")
    }
    assert set(archive.namelist()) == expected  # no uploads: she has none
    profile = json.loads(archive.read("profile.json"))
    assert profile["account"]["email"] == "anna@example.com"
    assert profile["account"]["name"] == "Anna Nowak"
    consents = json.loads(archive.read("consents.json"))
    assert {(c["document"], c["version"]) for c in consents} == {
        ("Regulamin", 1),
        ("Polityka prywatności", 1),
    }
    [address] = json.loads(archive.read("email_addresses.json"))
    assert (address["email"], address["verified"], address["primary"]) == (
        "anna@example.com",
        True,
        True,
    )


def test_delete_my_account_needs_the_password(city, resident_with_consent, deletion_step):
    client = city.client()
    sign_in(client, "anna@example.com")
    response = client.post("/accounts/delete/", {"password": "nie-to-haslo"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "To nie jest Twoje hasło." in html
    assert 'aria-describedby="id_password_error"' in html
    assert deletion_step == []
    with city_context(city.ref):
        assert User.objects.filter(pk=resident_with_consent.pk).exists()


def test_delete_my_account(city, resident_with_consent, deletion_step):
    client = city.client()
    sign_in(client, "anna@example.com")
    pk = resident_with_consent.pk
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert deletion_step == [(pk, "anna@example.com")]
    with city_context(city.ref):
        assert not User.objects.filter(pk=pk).exists()
        assert not EmailAddress.objects.filter(user_id=pk).exists()
        assert not Consent.objects.filter(user_id=pk).exists()
    assert client.get("/accounts/").status_code == 302  # signed out
    assert sign_in(city.client(), "anna@example.com").status_code == 200


def test_a_failing_step_deletes_nothing_and_the_page_fails_cleanly(city, resident_with_consent):
    def broken(user: User) -> None:
        raise RuntimeError("ideation is down")

    kind = PersonalDataKind(
        name="zz-broken", label="Stand-in", model="ideation.Follow", person_fields=("user",),
        on_deletion=OnDeletion.DELETE, before_deletion=broken,
    )  # fmt: skip
    register_personal_data(kind)
    try:
        client = city.client(raise_request_exception=False)
        sign_in(client, "anna@example.com")
        assert client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 500
    finally:
        unregister_personal_data(kind)
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
