"""Sign-up in a city portal: consent recorded, confirmation e-mail in the city's language with
links to the city's own host, clear errors for bad input."""

from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches

from ratusz.accounts.models import Consent, PolicyDocument, Role, User
from ratusz.accounts.rules import has_confirmed_email
from ratusz.accounts.services import publish_policy_version
from ratusz.tenants.context import city_context
from tests.accounts.conftest import account, confirm_link, sign_in
from tests.security.door_accounts import signed_in_as


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
    assert response["Location"] == "/accounts/confirm-email/"

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

    # Not signed in until the link is followed (a taken address must get the same answer).
    assert signed_in_as(client, city) is None
    confirm_page = client.get(f"/accounts/confirm-email/{key}/")
    assert confirm_page.status_code == 200
    assert signed_in_as(client, city) is None
    with committed():
        response = client.post(f"/accounts/confirm-email/{key}/")
    assert response["Location"] == "/"
    with city_context(city.ref):
        assert has_confirmed_email(User.objects.get(pk=user.pk))
    # The link signed the new account in, in another browser too (the e-mail is opened on a
    # phone), and only once: the used link does not sign in again.
    assert signed_in_as(client, city) == user.pk
    assert client.get("/accounts/").status_code == 200
    # Confirmed: now the city's welcome e-mail follows, once, on the city's own host.
    assert len(outbox) == 2
    welcome = outbox[1]
    assert welcome.to == ["ola@example.com"]
    assert "Gdańsk" in welcome.subject
    assert city.host in welcome.body
    with committed():
        client.post(f"/accounts/confirm-email/{key}/")
    assert len(outbox) == 2
    again = city.client()
    again.post(f"/accounts/confirm-email/{key}/")
    assert signed_in_as(again, city) is None


def test_an_unconfirmed_account_may_sign_in(city, sign_up, outbox):
    sign_up(city.client())
    client = city.client()
    response = sign_in(client, "ola@example.com")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/accounts/").status_code == 200


# What differs between any two responses: the CSRF token and the CSP nonce.
CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"|nonce="[^"]*"')


def session_keys(city, client) -> list[str]:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is None:
        return []
    with city_context(city.ref):
        return sorted(SessionStore(session_key=cookie.value).keys())


def new_page(city, sign_up) -> bytes:
    client = city.client()
    content: bytes = client.get(sign_up(client, email="trzecia@example.com")["Location"]).content
    return content


def _answer(city, sign_up, email: str) -> dict[str, object]:
    """Everything a browser learns from signing up with `email`, apart from per-response
    secrets (CSRF token, CSP nonce)."""
    client = city.client()
    response = sign_up(client, email=email)
    page = client.get(response["Location"])
    return {
        "status": response.status_code,
        "location": response["Location"],
        "set_cookies": sorted(response.cookies),
        "page_status": page.status_code,
        "page": CSRF_TOKEN.sub(b"", page.content),
        "page_cookies": sorted(page.cookies),
        "cookies": sorted(client.cookies),
        "session": session_keys(city, client),
        "signed_in": signed_in_as(client, city),
    }


def test_a_taken_address_gets_the_same_answer_as_a_new_one(city, resident, sign_up, outbox):
    """Finding 16: sign-up must not tell whether an address has an account. Both land on the
    same "check your e-mail" page, signed in neither; the owner of the taken address is told
    by e-mail, in the city's language and name."""
    new = _answer(city, sign_up, "nowa@example.com")
    taken = _answer(city, sign_up, resident.email.upper())
    assert new == taken
    assert new["location"] == "/accounts/confirm-email/"
    assert new["signed_in"] is None
    assert new["page"] == CSRF_TOKEN.sub(b"", new_page(city, sign_up))

    with city_context(city.ref):
        assert User.objects.filter(email__iexact=resident.email).count() == 1
    assert [message.to for message in outbox][:2] == [["nowa@example.com"], [resident.email]]
    warning = outbox[1]
    assert warning.subject.startswith("[Gdańsk] ")
    assert "Gdańsk" in warning.from_email
    assert warning.body.startswith("Dzień dobry,")  # the city's language
    assert "Gdańsk" in warning.body
    assert f"http://{city.host}/accounts/password/reset/" in warning.body
    # A second try soon after (no e-mail then: allauth's limit per address) answers the same.
    assert _answer(city, sign_up, resident.email) == new
    assert [message.to for message in outbox][2:] == [["trzecia@example.com"]]


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
    sign_in(client, "ola@example.com")  # unconfirmed accounts may sign in with their password
    page = client.get("/accounts/email/")
    assert "Nie jest jeszcze potwierdzony." in page.content.decode()
    caches["default"].clear()  # allauth allows one confirmation e-mail per address in 3 minutes
    with committed():
        response = client.post("/accounts/email/", {"action_send": "", "email": "ola@example.com"})
    assert response.status_code == 302
    assert len(outbox) == 2
    host, _key = confirm_link(outbox[1].body)
    assert host == city.host
