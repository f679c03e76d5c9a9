"""Stripe mode, against the stand-in server over HTTP: plans synced idempotently, customers with
their tax IDs, checkout by card, invoices by bank transfer, the portal, invoices with PDFs."""

from __future__ import annotations

import pytest
import stripe
from django.core.management import call_command

from ratusz.billing import gateway, services
from ratusz.billing.models import BillingAccount, Invoice, SubscriptionStatus
from ratusz.tenants.models import City, CityStatus
from tests.billing.conftest import in_trial


def test_sync_plans_creates_products_and_prices_then_changes_nothing(fake_stripe):
    first = gateway.sync_plans()
    assert first.products_created == 3
    assert first.prices_created == 12
    prices = fake_stripe.objects["prices"].values()
    assert {p["lookup_key"] for p in prices} >= {
        "ratusz_starter_month_pln",
        "ratusz_premium_year_eur",
    }
    posts_before = len(fake_stripe.posts())

    second = gateway.sync_plans()
    assert not second.changed
    assert second.unchanged == 12
    assert len(fake_stripe.posts()) == posts_before  # a second run writes nothing


def test_sync_plans_moves_the_lookup_key_to_a_new_price_when_an_amount_changes(fake_stripe):
    gateway.sync_plans()
    old = next(
        p
        for p in fake_stripe.objects["prices"].values()
        if p["lookup_key"] == "ratusz_starter_month_pln"
    )
    old["unit_amount"] = 1  # someone changed the table (or the price in Stripe)
    report = gateway.sync_plans()
    assert report.prices_created == 1
    current = [
        p
        for p in fake_stripe.objects["prices"].values()
        if p["lookup_key"] == "ratusz_starter_month_pln"
    ]
    assert len(current) == 1 and current[0]["unit_amount"] == 49_000


def test_sync_plans_command(fake_stripe, capsys):
    call_command("sync_plans")
    assert "prices created: 12" in capsys.readouterr().out
    call_command("sync_plans")
    assert "prices created: 0, unchanged: 12" in capsys.readouterr().out


def test_legal_details_make_a_stripe_customer_with_address_and_tax_id(
    city, fake_stripe, with_legal_details
):
    account = BillingAccount.objects.get(city_id=city.model.pk)
    assert account.tax_id == "PL5830001190"
    customer = fake_stripe.objects["customers"][account.stripe_customer_id]
    assert customer["name"] == "Gmina Miasta Gdańska"
    assert customer["address"]["postal_code"] == "80-803"
    assert customer["metadata"] == {"city_id": str(city.model.pk)}
    tax_ids = list(fake_stripe.objects["tax_ids"].values())
    assert [(t["type"], t["value"]) for t in tax_ids] == [("eu_vat", "PL5830001190")]

    services.save_legal_details(
        city=city.model,
        legal_name="Miasto Gdańsk",
        address_line1="Długa 1",
        postal_code="80-827",
        address_city="Gdańsk",
        country="PL",
        tax_id="5260001246",
        billing_email="f@gdansk.example",
    )
    assert len(fake_stripe.objects["customers"]) == 1  # updated, not duplicated
    assert customer["name"] == "Miasto Gdańsk"
    assert [t["value"] for t in fake_stripe.objects["tax_ids"].values()] == ["PL5260001246"]


def test_checkout_by_card_sends_the_administrator_to_stripe(city, synced, with_legal_details):
    choice = services.choose_plan(
        city=city.model,
        plan_code="standard",
        interval="year",
        currency="PLN",
        method="card",
        success_url="https://gdansk.example/ok",
        cancel_url="https://gdansk.example/no",
    )
    assert choice.redirect_url and choice.redirect_url.startswith("https://checkout.stripe.test/")
    session = next(iter(synced.objects["checkout_sessions"].values()))
    price = synced.objects["prices"][session["line_items"][0]["price"]]
    assert price["lookup_key"] == "ratusz_standard_year_pln"
    assert session["mode"] == "subscription"
    assert session["client_reference_id"] == str(city.model.pk)
    # Nothing changes until Stripe confirms the payment (by webhook).
    account = BillingAccount.objects.get(city_id=city.model.pk)
    assert account.subscription_status == ""
    assert City.objects.get(pk=city.model.pk).plan == ""


def test_invoice_by_bank_transfer_starts_the_subscription_at_once(city, synced, with_legal_details):
    choice = services.choose_plan(
        city=city.model,
        plan_code="starter",
        interval="month",
        currency="PLN",
        method="invoice",
    )
    assert choice.redirect_url is None
    subscription = next(iter(synced.objects["subscriptions"].values()))
    assert subscription["collection_method"] == "send_invoice"
    assert subscription["days_until_due"] == 14
    account = BillingAccount.objects.get(city_id=city.model.pk)
    assert account.subscription_status == SubscriptionStatus.ACTIVE
    assert account.plan == "starter"
    assert account.collection_method == "invoice"
    assert City.objects.get(pk=city.model.pk).plan == "starter"


def test_choosing_another_plan_changes_the_existing_subscription(city, synced, with_legal_details):
    services.choose_plan(
        city=city.model, plan_code="starter", interval="month", currency="PLN", method="invoice"
    )
    services.choose_plan(
        city=city.model, plan_code="premium", interval="month", currency="PLN", method="invoice"
    )
    assert len(synced.objects["subscriptions"]) == 1
    subscription = next(iter(synced.objects["subscriptions"].values()))
    assert subscription["items"]["data"][0]["price"]["lookup_key"] == "ratusz_premium_month_pln"
    assert City.objects.get(pk=city.model.pk).plan == "premium"


def test_a_plan_needs_legal_details_first(city, synced):
    with pytest.raises(services.BillingRefused) as refused:
        services.choose_plan(
            city=city.model, plan_code="starter", interval="month", currency="PLN", method="invoice"
        )
    assert "legal details" in refused.value.message
    assert "customers" not in synced.objects


def test_unsynced_plans_are_a_clear_refusal(city, fake_stripe, with_legal_details):
    with pytest.raises(gateway.PlansNotSynced) as refused:
        services.choose_plan(
            city=city.model, plan_code="starter", interval="month", currency="PLN", method="card"
        )
    assert "sync_plans" in refused.value.message


def test_stripe_unreachable_during_checkout_leaves_nothing_half_made(
    city, synced, with_legal_details, monkeypatch
):
    before = BillingAccount.objects.get(city_id=city.model.pk)
    monkeypatch.setattr(stripe, "api_base", "http://127.0.0.1:9")  # nothing listens there
    with pytest.raises(gateway.StripeUnavailable) as refused:
        services.choose_plan(
            city=city.model,
            plan_code="standard",
            interval="month",
            currency="PLN",
            method="invoice",
        )
    assert "try again" in refused.value.message
    after = BillingAccount.objects.get(city_id=city.model.pk)
    assert (after.plan, after.subscription_status, after.stripe_subscription_id) == (
        before.plan,
        before.subscription_status,
        before.stripe_subscription_id,
    )
    assert City.objects.get(pk=city.model.pk).plan == ""
    assert "subscriptions" not in synced.objects


def test_stripe_unreachable_while_saving_details_saves_nothing(city, fake_stripe, monkeypatch):
    monkeypatch.setattr(stripe, "api_base", "http://127.0.0.1:9")
    with pytest.raises(gateway.StripeUnavailable):
        services.save_legal_details(
            city=city.model,
            legal_name="Gmina",
            address_line1="Długa 1",
            postal_code="80-827",
            address_city="Gdańsk",
            country="PL",
            tax_id="5260001246",
            billing_email="f@g.example",
        )
    account = BillingAccount.objects.filter(city_id=city.model.pk).first()
    assert account is None or account.legal_name == ""


def test_portal_session_for_the_city_customer(city, synced, with_legal_details):
    url = services.portal_url(city=city.model, return_url="https://gdansk.example/admin/billing/")
    assert url.startswith("https://billing.stripe.test/p/session/")
    session = next(iter(synced.objects["portal_sessions"].values()))
    assert session["customer"] == with_legal_details.stripe_customer_id


def test_invoices_are_listed_with_their_pdf_links(city, synced, with_legal_details):
    services.choose_plan(
        city=city.model, plan_code="starter", interval="month", currency="PLN", method="invoice"
    )
    assert services.refresh_invoices(city=city.model) == 1
    invoice = Invoice.objects.get(city_id=city.model.pk)
    assert invoice.pdf_url.endswith("/pdf")
    assert invoice.amount_due == 49_000
    assert invoice.currency == "PLN"
    assert services.refresh_invoices(city=city.model) == 1
    assert Invoice.objects.filter(city_id=city.model.pk).count() == 1  # upserted, not doubled


def test_credit_lands_on_the_stripe_balance(city, synced, with_legal_details):
    credit = services.grant_credit(
        city=city.model,
        amount=10_000,
        currency="PLN",
        reason="Outage in May",
        actor="op@ratusz.example",
    )
    customer = synced.objects["customers"][with_legal_details.stripe_customer_id]
    assert customer["balance"] == -10_000
    assert credit.stripe_transaction_id.startswith("cbtxn_")


def test_trial_city_becomes_active_once_subscribed(city, synced):
    trial = in_trial(city)
    services.save_legal_details(
        city=trial,
        legal_name="Gmina",
        address_line1="Rynek 1",
        postal_code="00-001",
        address_city="Miasto",
        country="PL",
        tax_id="5260001246",
        billing_email="f@m.example",
    )
    services.choose_plan(
        city=trial, plan_code="starter", interval="month", currency="PLN", method="invoice"
    )
    assert City.objects.get(pk=trial.pk).status == CityStatus.ACTIVE
