"""Sign-up in a city portal: consent recorded, confirmation e-mail in the city's language with
links to the city's own host, clear errors for bad input."""

from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.core.cache import caches

from ratusz.accounts.models import Consent, PolicyDocument, Role, User
from ratusz.accounts.rules import has_confirmed_email
from ratusz.accounts.services import publish_policy_version
from ratusz.tenants.context import city_context
from tests.accounts.conftest import account, confirm_link, sign_in


def test_the_signup_page_is_accessible_and_in_the_citys_language(city):
    page = city.client().get("/accounts/signup/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="pl">' in html
    assert "Załóż konto" in html
    for name, autocomplete in (
        ("full_name", "name"),
        ("email", "email"),
        ("password1", "new-password"),
    ):
        assert re.search(rf'<label for="id_{name}">', html), name
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert field is not None, name
        assert f'autocomplete="{autocomplete}"' in field.group(0), name
    assert '<label for="id_accept_policies">' in html
    assert 'aria-describedby="id_password1_helptext"' in html
    assert "<script" not in html  # works without JavaScript


def test_signup_records_consent_and_sends_a_confirmation_link_to_the_citys_host(
    city, sign_up, outbox, committed
):
    client = city.client()
    response = sign_up(client, email="Ola@Example.com")
    assert response.status_code == 302, response.content.decode()

    user = account(city, "ola@example.com")
    assert user is not None
    assert user.email == "ola@example.com"
    assert user.full_name == "Ola Kowalska"
    assert user.role == Role.RESIDENT
    assert user.language == "pl"
    with city_context(city.ref):
        consents = {(c.document, c.version) for c in Consent.objects.filter(user=user)}
        assert consents == {(PolicyDocument.TERMS, 1), (PolicyDocument.PRIVACY, 1)}
        assert not has_confirmed_email(user)

    assert len(outbox) == 1
    message = outbox[0]
    assert message.to == ["ola@example.com"]
    assert message.subject == "[Gdańsk] Potwierdź swój adres e-mail"
    assert "Gdańsk" in message.from_email
    assert "portalu konsultacji społecznych miasta Gdańsk" in message.body
    host, key = confirm_link(message.body)
    assert host == city.host

    # Signed in straight away, confirmation still pending.
    assert client.get("/accounts/").status_code == 200
    confirm_page = client.get(f"/accounts/confirm-email/{key}/")
    assert confirm_page.status_code == 200
    with committed():
        assert client.post(f"/accounts/confirm-email/{key}/").status_code == 302
    with city_context(city.ref):
        assert has_confirmed_email(User.objects.get(pk=user.pk))
    # Confirmed: now the city's welcome e-mail follows, once, on the city's own host.
    assert len(outbox) == 2
    welcome = outbox[1]
    assert welcome.to == ["ola@example.com"]
    assert "Gdańsk" in welcome.subject
    assert city.host in welcome.body
    with committed():
        client.post(f"/accounts/confirm-email/{key}/")
    assert len(outbox) == 2


def test_an_unconfirmed_account_may_sign_in(city, sign_up, outbox):
    sign_up(city.client())
    client = city.client()
    response = sign_in(client, "ola@example.com")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/accounts/").status_code == 200


def test_a_duplicate_address_is_refused_in_polish(city, resident, sign_up, outbox):
    response = sign_up(city.client(), email="MIESZKANKA@example.com")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Konto z tym adresem e-mail już istnieje" in html
    assert 'aria-describedby="id_email_error"' in html
    assert 'id="id_email_error"' in html
    assert 'aria-invalid="true"' in html
    with city_context(city.ref):
        assert User.objects.filter(email__iexact="mieszkanka@example.com").count() == 1
    assert outbox == []


def test_a_weak_password_is_refused_in_polish(city, sign_up, outbox):
    response = sign_up(city.client(), password1="12345")
    assert response.status_code == 200
    html = response.content.decode()
    assert "To hasło jest za krótkie" in html
    assert "To hasło jest zbyt powszechne" in html
    assert re.search(
        r'<input[^>]*name="password1"[^>]*aria-describedby="[^"]*id_password1_error', html
    )
    assert account(city, "ola@example.com") is None


def test_consent_is_required(city, sign_up, outbox):
    response = sign_up(city.client(), accept_policies=None)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aby kontynuować, zaakceptuj regulamin i politykę prywatności." in html
    assert re.search(
        r'<input[^>]*name="accept_policies"[^>]*aria-describedby="id_accept_policies_error"', html
    )
    assert 'role="alert"' in html  # the error summary is announced
    assert account(city, "ola@example.com") is None


def test_english_errors_in_an_english_city(other_city, sign_up, outbox):
    response = sign_up(other_city.client(), accept_policies=None, password1="12345")
    html = response.content.decode()
    assert "Accept the terms of use and the privacy policy to continue." in html
    assert "This password is too short" in html


def test_a_signup_against_an_outdated_version_is_not_recorded(city, sign_up, outbox):
    with city_context(city.ref):
        publish_policy_version(document=PolicyDocument.TERMS, url="/regulamin/")
    response = sign_up(city.client())  # the form showed version 1
    assert response.status_code == 200
    html = response.content.decode()
    assert "zmieniły się" in html
    assert 'href="/regulamin/"' in html
    assert "(wersja 2)" in html
    assert account(city, "ola@example.com") is None
    response = sign_up(city.client(), terms_version="2")
    assert response.status_code == 302
    with city_context(city.ref):
        assert Consent.objects.filter(document="terms", version=2).count() == 1


def test_a_gdansk_signup_email_never_mentions_springfield(city, other_city, sign_up, outbox):
    sign_up(city.client())
    assert len(outbox) == 1
    message = outbox[0]
    text = f"{message.subject}\n{message.from_email}\n{message.body}"
    assert other_city.host not in text
    assert "Springfield" not in text
    assert city.host in text


def test_the_control_plane_has_no_signup(control_client, db):
    # Operators and partners sign in there; nobody signs up (they are invited).
    assert control_client.get("/accounts/login/").status_code == 200
    page = control_client.get("/accounts/signup/").content.decode()
    assert 'name="password1"' not in page
    control_client.post(
        "/accounts/signup/",
        {"email": "intruz@example.com", "password1": "x-Very-long-1", "password2": "x-Very-long-1"},
    )
    assert not User.objects.filter(email="intruz@example.com").exists()


def test_an_accepted_invitation_counts_as_a_confirmed_address(city, city_admin):
    with city_context(city.ref):
        assert EmailAddress.objects.filter(user=city_admin, verified=True, primary=True).exists()
        assert has_confirmed_email(city_admin)
    # Staff accepted no terms yet: their first sign-in asks for it.
    response = sign_in(city.client(), "urzednik@gdansk.example", "correct horse battery")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/consent/")


def test_the_confirmation_link_can_be_sent_again(city, sign_up, outbox, committed):
    client = city.client()
    sign_up(client)
    page = client.get("/accounts/email/")
    assert "Nie jest jeszcze potwierdzony." in page.content.decode()
    caches["default"].clear()  # allauth allows one confirmation e-mail per address in 3 minutes
    with committed():
        response = client.post("/accounts/email/", {"action_send": "", "email": "ola@example.com"})
    assert response.status_code == 302
    assert len(outbox) == 2
    host, _key = confirm_link(outbox[1].body)
    assert host == city.host
