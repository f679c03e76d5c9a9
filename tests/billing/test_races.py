"""Choosing a plan twice at the same moment (a double click, two tabs, two administrators):
real threads, each with its own database connection, against the Stripe stand-in over HTTP.
Exactly one customer, one subscription, one payment page may come out at Stripe, and every
click gets the same answer. A retry after our own transaction failed gets Stripe's object back
(idempotency keys) instead of a second one."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection

from ratusz.billing import gateway, services
from ratusz.billing.models import BillingAccount, HistoryEntry, Invoice, WebhookEvent
from ratusz.billing.services import choosing
from ratusz.tenants.models import City
from tests.billing.fake_stripe import FakeStripe

CLICKS = 4  # requests at once; each holds one database connection

DETAILS = {
    "legal_name": "Gmina Miasta Testowa",
    "address_line1": "Rynek 1",
    "postal_code": "00-001",
    "address_city": "Testowo",
    "country": "PL",
    "tax_id": "5260001246",
    "billing_email": "faktury@testowo.example",
}


@pytest.fixture
def racing_city(make_city) -> Iterator[Any]:
    """A committed city (the threads see only what is committed); its billing rows, which
    outlive a purged city by design (accounting records), are removed after the test."""
    made = make_city()
    yield made
    for model in (HistoryEntry, Invoice, BillingAccount):
        model.objects.filter(city_id=made.model.pk).delete()


def at_once(call: Callable[[], Any], clicks: int = CLICKS) -> list[Any]:
    """Run `call` in `clicks` threads released together; returns their results and fails on
    any error (a refusal included: every click must get a proper answer)."""
    barrier = threading.Barrier(clicks)
    results: list[Any] = []
    errors: list[str] = []
    lock = threading.Lock()

    def click() -> None:
        try:
            barrier.wait()
            result = call()
            with lock:
                results.append(result)
        except Exception as exc:  # reported below, the test fails
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(clicks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a click hung (deadlock?)"
    assert errors == []
    return results


def choose(city: Any, method: str, plan: str = "standard", currency: str = "PLN") -> Any:
    return services.choose_plan(
        city=City.objects.get(pk=city.model.pk),
        plan_code=plan,
        interval="month",
        currency=currency,
        method=method,
        success_url="https://testowo.example/admin/billing/?checkout=done",
        cancel_url="https://testowo.example/admin/billing/?checkout=cancelled",
    )


def made(stripe: FakeStripe, kind: str) -> list[dict[str, Any]]:
    return list(stripe.objects.get(kind, {}).values())


def test_legal_details_saved_at_once_make_one_stripe_customer(racing_city, synced):
    at_once(lambda: services.save_legal_details(city=racing_city.model, **DETAILS))
    customers = made(synced, "customers")
    assert len(customers) == 1
    account = BillingAccount.objects.get(city_id=racing_city.model.pk)
    assert account.stripe_customer_id == customers[0]["id"]


def test_card_clicks_at_once_make_one_payment_page(racing_city, synced):
    services.save_legal_details(city=racing_city.model, **DETAILS)
    choices = at_once(lambda: choose(racing_city, "card"))
    sessions = made(synced, "checkout_sessions")
    assert len(sessions) == 1
    assert {choice.redirect_url for choice in choices} == {sessions[0]["url"]}
    assert len(made(synced, "customers")) == 1
    account = BillingAccount.objects.get(city_id=racing_city.model.pk)
    assert account.checkout_session_id == sessions[0]["id"]


def test_invoice_clicks_at_once_make_one_subscription(racing_city, synced):
    services.save_legal_details(city=racing_city.model, **DETAILS)
    choices = at_once(lambda: choose(racing_city, "invoice"))
    subscriptions = made(synced, "subscriptions")
    assert len(subscriptions) == 1
    assert len(made(synced, "customers")) == 1
    account = BillingAccount.objects.get(city_id=racing_city.model.pk)
    assert account.stripe_subscription_id == subscriptions[0]["id"]
    assert {choice.redirect_url for choice in choices} == {None}
    chosen = HistoryEntry.objects.filter(city_id=racing_city.model.pk, kind="plan_chosen")
    assert chosen.count() == 1
    assert not HistoryEntry.objects.filter(
        city_id=racing_city.model.pk, kind="plan_changed"
    ).exists()


def test_mixed_clicks_at_once_end_with_one_subscription_or_one_page(racing_city, synced):
    """A card click and an invoice click together: whichever wins, nothing is made twice and
    no payment page is left open beside a subscription."""
    services.save_legal_details(city=racing_city.model, **DETAILS)
    methods = iter(["card", "invoice", "card", "invoice"])
    lock = threading.Lock()

    def click() -> Any:
        with lock:
            method = next(methods)
        return choose(racing_city, method)

    at_once(click)
    subscriptions = made(synced, "subscriptions")
    open_pages = [s for s in made(synced, "checkout_sessions") if s["status"] == "open"]
    assert len(subscriptions) <= 1 and len(open_pages) <= 1
    assert len(subscriptions) + len(open_pages) >= 1
    assert len(made(synced, "customers")) == 1


def test_one_event_processed_by_several_workers_at_once_is_applied_once(racing_city, synced):
    """The sweeper queued an event again while its first task was still waiting: both tasks
    run together, and only one of them acts on it."""
    services.save_legal_details(city=racing_city.model, **DETAILS)
    choose(racing_city, "card")
    session = made(synced, "checkout_sessions")[0]
    synced.complete_checkout(session["id"])
    event = WebhookEvent.objects.create(
        event_id=f"evt_race_{racing_city.model.pk}",
        type="checkout.session.completed",
        object_id=session["id"],
        payload={},
    )
    try:
        outcomes = at_once(lambda: services.process_webhook_event(event_pk=event.pk))
        reads = [r for r in synced.requests if r[1] == f"/v1/checkout/sessions/{session['id']}"]
        assert len(reads) == 1  # one worker asked Stripe; the others found it processed
        assert len(set(outcomes)) == 1
        event.refresh_from_db()
        assert event.processed_at is not None and event.outcome == outcomes[0]
        entries = HistoryEntry.objects.filter(city_id=racing_city.model.pk, kind="subscription")
        assert entries.count() == 1
    finally:
        WebhookEvent.objects.filter(pk=event.pk).delete()


# --- One request at a time, but with a webhook not yet arrived or a failure ------------------


def test_a_paid_checkout_whose_webhook_has_not_arrived_is_not_subscribed_again(
    city, synced, with_legal_details
):
    services.choose_plan(
        city=city.model,
        plan_code="standard",
        interval="month",
        currency="PLN",
        method="card",
        success_url="https://x/ok",
        cancel_url="https://x/no",
    )
    session = made(synced, "checkout_sessions")[0]
    paid = synced.complete_checkout(session["id"])  # Stripe knows; we have not heard yet
    choice = services.choose_plan(
        city=city.model, plan_code="premium", interval="month", currency="PLN", method="invoice"
    )
    assert choice.redirect_url is None
    assert [s["id"] for s in made(synced, "subscriptions")] == [paid["id"]]
    assert paid["items"]["data"][0]["price"]["lookup_key"] == "ratusz_premium_month_pln"
    account = BillingAccount.objects.get(city_id=city.model.pk)
    assert (account.stripe_subscription_id, account.plan) == (paid["id"], "premium")


def test_another_plan_by_card_closes_the_open_payment_page_first(city, synced, with_legal_details):
    first = services.choose_plan(
        city=city.model,
        plan_code="standard",
        interval="month",
        currency="PLN",
        method="card",
        success_url="https://x/ok",
        cancel_url="https://x/no",
    )
    again = services.choose_plan(
        city=city.model,
        plan_code="standard",
        interval="month",
        currency="PLN",
        method="card",
        success_url="https://x/ok",
        cancel_url="https://x/no",
    )
    assert again.redirect_url == first.redirect_url  # the open page, reused
    other = services.choose_plan(
        city=city.model,
        plan_code="premium",
        interval="month",
        currency="PLN",
        method="card",
        success_url="https://x/ok",
        cancel_url="https://x/no",
    )
    assert other.redirect_url != first.redirect_url
    statuses = [s["status"] for s in made(synced, "checkout_sessions")]
    assert sorted(statuses) == ["expired", "open"]  # the first page can no longer be paid


def test_a_retry_after_our_transaction_failed_does_not_subscribe_twice(
    city, synced, with_legal_details, monkeypatch
):
    """Stripe made the subscription, then storing it failed here (nothing of ours was
    saved): the retry finds it at Stripe instead of making a second one."""
    real = services.apply_subscription_state
    calls = {"n": 0}

    def fails_once(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    # choose_plan applies the state it got from Stripe through the name in its own module.
    monkeypatch.setattr(choosing, "apply_subscription_state", fails_once)
    with pytest.raises(RuntimeError):
        services.choose_plan(
            city=city.model, plan_code="starter", interval="month", currency="PLN", method="invoice"
        )
    assert BillingAccount.objects.get(city_id=city.model.pk).stripe_subscription_id == ""
    services.choose_plan(
        city=city.model, plan_code="starter", interval="month", currency="PLN", method="invoice"
    )
    subscriptions = made(synced, "subscriptions")
    assert len(subscriptions) == 1
    account = BillingAccount.objects.get(city_id=city.model.pk)
    assert account.stripe_subscription_id == subscriptions[0]["id"]


def test_the_same_creation_sent_twice_is_one_object_at_stripe(city, synced, with_legal_details):
    """Creation calls carry an idempotency key made of what they send: sent again (a retry
    whose first answer was lost), Stripe answers with the object it made the first time."""
    price_id = gateway.price_id_for("ratusz_starter_month_pln")
    customer_id = with_legal_details.stripe_customer_id
    first, second = (
        gateway.create_invoiced_subscription(
            customer_id=customer_id, price_id=price_id, city_id=city.model.pk, days_until_due=14
        )
        for _ in range(2)
    )
    assert first["id"] == second["id"]
    assert len(made(synced, "subscriptions")) == 1
    pages = {
        gateway.create_checkout_session(
            customer_id=customer_id,
            price_id=price_id,
            city_id=city.model.pk,
            success_url="https://x/ok",
            cancel_url="https://x/no",
        ).id
        for _ in range(2)
    }
    assert len(pages) == 1 and len(made(synced, "checkout_sessions")) == 1
    # Anything different is another operation.
    other = gateway.create_checkout_session(
        customer_id=customer_id,
        price_id=price_id,
        city_id=city.model.pk,
        success_url="https://x/ok?again",
        cancel_url="https://x/no",
    )
    assert other.id not in pages
