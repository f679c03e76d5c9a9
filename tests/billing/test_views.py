"""The city administrators' billing pages (/admin/billing/ on the city host)."""

from __future__ import annotations

import stripe
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.billing import services
from ratusz.billing.models import BillingAccount
from ratusz.tenants.context import city_context
from ratusz.tenants.entitlements import entitlements_for
from tests.billing.conftest import in_trial, login

DETAILS = {
    "legal_name": "Gmina Miasta Gdańska",
    "address_line1": "ul. Nowe Ogrody 8/12",
    "postal_code": "80-803",
    "address_city": "Gdańsk",
    "country": "PL",
    "tax_id": "583-000-11-90",
    "billing_email": "faktury@gdansk.example",
}


def project_manager(city) -> User:
    with city_context(city.ref):
        return User.objects.create_user(
            "pm@gdansk.example", "correct horse battery", role=Role.PROJECT_MANAGER, is_staff=True
        )


def test_only_the_citys_administrators_open_billing(city, resident, city_admin, manual_mode):
    response = city.client().get("/admin/billing/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert login(city, resident).get("/admin/billing/").status_code == 403
    assert login(city, project_manager(city)).get("/admin/billing/").status_code == 403
    assert (
        login(city, resident).post("/admin/billing/choose/", {"plan": "premium"}).status_code == 403
    )
    assert entitlements_for(city.model.pk).plan == ""
    response = login(city, city_admin).get("/admin/billing/")
    assert response.status_code == 200
    assert "Starter" in response.content.decode() or "Startowy" in response.content.decode()


def test_an_administrator_sees_only_their_own_citys_invoices(
    city, other_city, city_admin, manual_mode
):
    services.record_invoice(
        city=city.model,
        number="GD/2025/7",
        amount=149_000,
        currency="PLN",
        issued_at=timezone.now(),
        pdf_url="https://files.example/gd7.pdf",
    )
    services.record_invoice(
        city=other_city.model,
        number="SP/2025/7",
        amount=34_900,
        currency="EUR",
        issued_at=timezone.now(),
        pdf_url="https://files.example/sp7.pdf",
    )
    page = login(city, city_admin).get("/admin/billing/").content.decode()
    assert "GD/2025/7" in page and "https://files.example/gd7.pdf" in page
    assert "SP/2025/7" not in page and "sp7.pdf" not in page


def test_an_administrator_of_one_city_cannot_use_it_on_another_host(
    city, other_city, city_admin, manual_mode
):
    client = login(city, city_admin)
    client.defaults["HTTP_HOST"] = other_city.host  # the session lives in Gdańsk's schema only
    response = client.get("/admin/billing/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_legal_details_form_refuses_a_bad_nip_and_keeps_what_was_saved(
    city, city_admin, manual_mode
):
    client = login(city, city_admin)
    assert client.post("/admin/billing/details/", DETAILS).status_code == 302
    response = client.post(
        "/admin/billing/details/", {**DETAILS, "tax_id": "5830001191", "legal_name": "Changed"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_tax_id_errors"' in page
    account = BillingAccount.objects.get(city_id=city.model.pk)
    assert (account.legal_name, account.tax_id) == ("Gmina Miasta Gdańska", "PL5830001190")
    form = client.get("/admin/billing/details/").content.decode()
    assert 'value="Gmina Miasta Gdańska"' in form


def test_choosing_a_plan_in_manual_mode_from_the_page(city, city_admin, manual_mode):
    client = login(city, city_admin)
    response = client.post(
        "/admin/billing/choose/",
        {"plan": "premium", "interval": "year", "currency": "PLN", "method": "invoice"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/billing/"
    assert entitlements_for(city.model.pk).plan == "premium"
    bad = client.post(
        "/admin/billing/choose/",
        {"plan": "platinum", "interval": "year", "currency": "PLN", "method": "invoice"},
    )
    assert bad.status_code == 400
    assert entitlements_for(city.model.pk).plan == "premium"
    assert manual_mode.requests == []


def test_paying_by_card_redirects_to_stripe_checkout(city, city_admin, synced):
    client = login(city, city_admin)
    client.post("/admin/billing/details/", DETAILS)
    response = client.post(
        "/admin/billing/choose/",
        {"plan": "standard", "interval": "month", "currency": "PLN", "method": "card"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("https://checkout.stripe.test/")
    session = next(iter(synced.objects["checkout_sessions"].values()))
    assert session["success_url"].startswith(f"http://{city.host}/admin/billing/")


def test_stripe_down_gives_a_clear_message_on_the_page(city, city_admin, synced, monkeypatch):
    client = login(city, city_admin)
    client.post("/admin/billing/details/", DETAILS)
    monkeypatch.setattr(stripe, "api_base", "http://127.0.0.1:9")
    response = client.post(
        "/admin/billing/choose/",
        {"plan": "standard", "interval": "month", "currency": "PLN", "method": "invoice"},
    )
    assert response.status_code == 400
    assert "try again" in response.content.decode() or "spróbuj" in response.content.decode()
    assert BillingAccount.objects.get(city_id=city.model.pk).subscription_status == ""


def test_the_portal_button_opens_stripes_portal(city, city_admin, synced):
    client = login(city, city_admin)
    client.post("/admin/billing/details/", DETAILS)
    assert "/admin/billing/portal/" in client.get("/admin/billing/").content.decode()
    response = client.post("/admin/billing/portal/")
    assert response.status_code == 302
    assert response["Location"].startswith("https://billing.stripe.test/p/session/")


def test_after_an_unpaid_trial_staff_see_only_billing(city, city_admin, manual_mode, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "ratusz.billing.middleware.TrialEndedMiddleware"]
    in_trial(city)
    account = services.ensure_account(city=city.model)
    client = login(city, city_admin)
    assert client.get("/admin/").status_code == 200  # trial running
    BillingAccount.objects.filter(pk=account.pk).update(trial_ends_at=timezone.now())
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/billing/"
    assert client.get("/admin/billing/").status_code == 200
    assert city.client().get("/").status_code == 200  # residents still see the portal


def test_after_an_unpaid_trial_staff_are_sent_to_choose_a_plan(
    city, other_city, city_admin, manual_mode, committed, django_assert_max_num_queries
):
    from datetime import timedelta

    from ratusz.tenants.routing import forget_city

    with committed():
        in_trial(city)
    account = services.ensure_account(city=city.model)
    BillingAccount.objects.filter(pk=account.pk).update(
        trial_ends_at=timezone.now() - timedelta(days=1)
    )
    forget_city(city.model.pk)
    client = login(city, city_admin)
    blocked = client.get("/admin/")
    assert blocked.status_code == 302 and blocked["Location"] == "/admin/billing/"
    assert client.get("/admin/billing/").status_code == 200  # choosing a plan stays open
    assert city.client().get("/").status_code == 200  # residents still read the portal
    # A city out of its trial is never asked: the routed city's status answers, no query.
    from django.test import RequestFactory

    from ratusz.billing.middleware import TrialEndedMiddleware

    request = RequestFactory().get("/admin/")
    request.city = other_city.ref  # type: ignore[attr-defined]  # as routing sets it
    with django_assert_max_num_queries(0):
        TrialEndedMiddleware(lambda r: None)(request)  # type: ignore[arg-type, return-value]
