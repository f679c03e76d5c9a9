"""Signing in and out, resetting the password, changing the e-mail address; and that an account
of one city means nothing in another."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.tokens import default_token_generator

from ratusz.accounts.models import User
from ratusz.tenants.context import city_context
from tests.accounts.conftest import PASSWORD, RESET_LINK, confirm_link, reset_link, sign_in


def test_sign_in_and_out(city, resident_with_consent):
    client = city.client()
    assert client.get("/accounts/").status_code == 302  # my account needs a session

    response = sign_in(client, "Anna@Example.com")
    assert response.status_code == 302
    assert response["Location"] == "/"
    cookie = response.cookies["sessionid"]
    assert not cookie["domain"]  # host-only: never sent to another city's subdomain
    assert cookie["httponly"]
    page = client.get("/accounts/")
    assert page.status_code == 200
    assert "anna@example.com" in page.content.decode()

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 302


def test_a_wrong_password_is_refused_in_polish(city, resident_with_consent):
    response = sign_in(city.client(), "anna@example.com", "zle-haslo-123")
    assert response.status_code == 200
    assert "Podany adres e-mail i/lub hasło są niepoprawne." in response.content.decode()


def test_the_account_menu_follows_the_session(city, resident_with_consent):
    client = city.client()
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/signup/"' in html
    sign_in(client, "anna@example.com")
    html = client.get("/accounts/").content.decode()
    assert 'action="/accounts/logout/"' in html
    assert 'aria-current="page"' in html


def test_password_reset_by_e_mail(city, resident_with_consent, outbox, committed):
    client = city.client()
    with committed():
        response = client.post("/accounts/password/reset/", {"email": "anna@example.com"})
    assert response.status_code == 302
    assert len(outbox) == 1
    message = outbox[0]
    assert message.subject == "[Gdańsk] Ustaw nowe hasło"
    host, path = reset_link(message.body)
    assert host == city.host

    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"password1": "Nowe-haslo-2025!", "password2": "Nowe-haslo-2025!"}
    )
    assert response.status_code == 302

    assert sign_in(city.client(), "anna@example.com").status_code == 200  # old one refused
    assert sign_in(city.client(), "anna@example.com", "Nowe-haslo-2025!").status_code == 302


def test_reset_does_not_tell_whether_an_address_has_an_account(
    city, resident_with_consent, outbox, committed
):
    """Issue 12 (16): the reset page told an unknown address apart from a known one."""
    answers = []
    for email in ("anna@example.com", "nikt@example.com"):
        with committed():
            response = city.client().post("/accounts/password/reset/", {"email": email})
        answers.append((response.status_code, response.get("Location")))
    assert answers[0] == answers[1] == (302, "/accounts/password/reset/done/")
    # Each address hears what applies to it, in its own mailbox only.
    assert [message.to for message in outbox] == [["anna@example.com"], ["nikt@example.com"]]
    assert "/accounts/password/reset/key/" in outbox[0].body
    assert "/accounts/password/reset/key/" not in outbox[1].body


@pytest.mark.parametrize(
    ("host_header", "public_port", "expected_origin"),
    [
        ("{host}:6666", "", "http://{host}"),
        ("{host}:6666", "8443", "http://{host}:8443"),
        ("{host}", "8000", "http://{host}:8000"),
    ],
)
def test_links_in_e_mails_come_from_configuration_not_the_host_header(
    city,
    resident_with_consent,
    outbox,
    committed,
    settings,
    host_header,
    public_port,
    expected_origin,
):
    """Issue 12: the port of the Host header went into password-reset links."""
    settings.PUBLIC_PORT = public_port
    client = city.client()
    with committed():
        client.post(
            "/accounts/password/reset/",
            {"email": "anna@example.com"},
            HTTP_HOST=host_header.format(host=city.host),
        )
    link = RESET_LINK.search(outbox[-1].body)
    assert link is not None, outbox[-1].body
    assert link.group(0).startswith(expected_origin.format(host=city.host) + "/accounts/")


def test_change_of_e_mail_address_after_confirmation(
    city, resident_with_consent, outbox, committed
):
    client = city.client()
    sign_in(client, "anna@example.com")
    with committed():
        response = client.post(
            "/accounts/email/", {"action_add": "", "email": "anna.nowak@example.org"}
        )
    assert response.status_code == 302
    assert len(outbox) == 1
    message = outbox[0]
    assert message.to == ["anna.nowak@example.org"]
    host, key = confirm_link(message.body)
    assert host == city.host

    with city_context(city.ref):  # nothing changes before the new address is confirmed
        assert User.objects.get(pk=resident_with_consent.pk).email == "anna@example.com"
    assert client.post(f"/accounts/confirm-email/{key}/").status_code == 302
    with city_context(city.ref):
        user = User.objects.get(pk=resident_with_consent.pk)
        assert user.email == "anna.nowak@example.org"
        assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
            "anna.nowak@example.org"
        ]
    client.post("/accounts/logout/")
    assert sign_in(city.client(), "anna.nowak@example.org").status_code == 302


# --- isolation ---------------------------------------------------------------------------------


def test_a_gdansk_account_cannot_sign_in_at_springfield(city, other_city, resident_with_consent):
    response = sign_in(other_city.client(), "anna@example.com")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert sign_in(city.client(), "anna@example.com").status_code == 302


def test_a_gdansk_session_means_nothing_at_springfield(city, other_city, resident_with_consent):
    client = city.client()
    sign_in(client, "anna@example.com")
    assert client.get("/accounts/").status_code == 200
    # The test client would even send the cookie to another host; Springfield does not know it.
    response = client.get("/accounts/", HTTP_HOST=other_city.host)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_same_address_makes_separate_accounts_in_two_cities(city, other_city, sign_up, outbox):
    sign_up(city.client(), email="both@example.com")
    sign_up(other_city.client(), email="both@example.com", password1="Another-Secret-99")
    assert sign_in(other_city.client(), "both@example.com").status_code == 200
    assert sign_in(other_city.client(), "both@example.com", "Another-Secret-99").status_code == 302
    assert sign_in(city.client(), "both@example.com").status_code == 302


def test_a_gdansk_confirmation_link_confirms_nothing_at_springfield(
    city, other_city, sign_up, outbox
):
    sign_up(city.client(), email="gdansk@example.com")
    _, key = confirm_link(outbox[0].body)
    # An unconfirmed Springfield address with the same id as the Gdańsk one.
    with city_context(city.ref):
        address = EmailAddress.objects.get(email="gdansk@example.com")
    with city_context(other_city.ref):
        user = User.objects.create_user("springfield@example.com", PASSWORD, id=address.user_id)
        EmailAddress.objects.create(id=address.pk, user=user, email=user.email)
    response = other_city.client().post(f"/accounts/confirm-email/{key}/")
    assert response.status_code == 404
    with city_context(other_city.ref):
        assert not EmailAddress.objects.get(pk=address.pk).verified


def test_a_gdansk_reset_link_resets_nothing_at_springfield(
    city, other_city, resident_with_consent, outbox, committed
):
    with committed():
        city.client().post("/accounts/password/reset/", {"email": "anna@example.com"})
    _, path = reset_link(outbox[0].body)
    with city_context(other_city.ref):
        twin = User.objects.create_user(
            "anna@example.com", "Springfield-Password-1", id=resident_with_consent.pk
        )
        token = path.rstrip("/").rsplit("/", 1)[1].split("-", 1)[1]
        assert not default_token_generator.check_token(twin, token)
    page = other_city.client().get(path, follow=True)
    assert page.status_code == 200
    assert 'name="password1"' not in page.content.decode()  # "invalid link", no form


def test_a_password_change_is_notified_by_e_mail(city, resident_with_consent, outbox, committed):
    client = city.client()
    sign_in(client, "anna@example.com")
    with committed():
        response = client.post(
            "/accounts/password/change/",
            {
                "oldpassword": PASSWORD,
                "password1": "Inne-dlugie-haslo-7",
                "password2": "Inne-dlugie-haslo-7",
            },
        )
    assert response.status_code == 302
    assert len(outbox) == 1
    message = outbox[0]
    assert message.to == ["anna@example.com"]
    assert message.subject.startswith("[Gdańsk] ")
    assert "Dzień dobry" in message.body
    assert city.host in message.body
