"""In a real browser: an operator suspends a city, the city shows its suspension page, and
reactivating it brings the portal back."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client

from ratusz.accounts.models import Role, User
from tests.conftest import force_login_with_second_factor


def test_suspend_then_reactivate_from_the_console(make_city, live_server_url, page):
    city = make_city(name="Konsola", slug="konsola-e2e")
    operator = User.objects.create_user(
        "e2e-operator@ratusz.example", "correct horse battery", role=Role.OPERATOR
    )
    Authenticator.objects.create(user=operator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client(HTTP_HOST=settings.BASE_DOMAIN)
    force_login_with_second_factor(client, operator)
    control = live_server_url.format(host="localhost")
    portal = live_server_url.format(host=city.host)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": control}]
    )

    try:
        _suspend_and_reactivate(page, control, portal, city.model.slug)
    finally:
        # The shared teardown deletes public accounts through the ORM, whose cascade reaches
        # city-plane tables absent from public; remove ours without it.
        Authenticator.objects.filter(user=operator).delete()
        User.objects.filter(pk=operator.pk)._raw_delete(using="default")


def _suspend_and_reactivate(page, control: str, portal: str, slug: str) -> None:
    # The browser asks for Polish, so the console speaks Polish to this operator.
    page.goto(f"{control}/console/cities/{slug}/")
    page.get_by_role("link", name="Zawieś").click()
    page.get_by_label("Tak, jestem pewien").check()
    page.get_by_role("button", name="Zawieś").click()
    assert page.url.endswith(f"/console/cities/{slug}/")

    response = page.goto(f"{portal}/")
    assert response is not None and response.status == 503
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Ten portal jest chwilowo niedostępny"
    )

    page.goto(f"{control}/console/cities/{slug}/")
    page.get_by_role("link", name="Przywróć działanie").click()
    page.get_by_label("Tak, jestem pewien").check()
    page.get_by_role("button", name="Przywróć działanie").click()
    response = page.goto(f"{portal}/")
    assert response is not None and response.status == 200
