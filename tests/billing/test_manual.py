"""Manual mode (no Stripe key): plans and limits work, operators record invoices and payments,
and nothing calls Stripe. Operators' tools, the trial, and the partner commission selector."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from ratusz.billing import services
from ratusz.billing.models import BillingAccount, HistoryEntry, Invoice, InvoiceStatus
from ratusz.billing.selectors import (
    billing_banner,
    billing_blocked,
    billing_history,
    city_invoices,
    paid_invoices_for_month,
)
from ratusz.billing.services import subscriptions
from ratusz.tenants.entitlements import entitlements_for
from ratusz.tenants.models import City, CityStatus
from tests.billing.conftest import in_trial

WARSAW = timezone.get_default_timezone()


def test_choosing_a_plan_in_manual_mode_applies_it_and_calls_no_one(city, manual_mode):
    choice = services.choose_plan(
        city=city.model, plan_code="standard", interval="year", currency="PLN", method="card"
    )
    assert choice.redirect_url is None
    assert "invoice" in choice.message
    assert entitlements_for(city.model.pk).plan == "standard"
    account = BillingAccount.objects.get(city_id=city.model.pk)
    assert (account.plan, account.interval, account.collection_method) == (
        "standard",
        "year",
        "invoice",
    )
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
    assert services.refresh_invoices(city=city.model) == 0
    assert manual_mode.requests == []  # no HTTP call reached the (listening) server


def test_a_trial_city_choosing_a_plan_by_hand_becomes_active(city, manual_mode):
    in_trial(city)
    services.choose_plan(
        city=city.model, plan_code="starter", interval="month", currency="PLN", method="invoice"
    )
    assert City.objects.get(pk=city.model.pk).status == CityStatus.ACTIVE


def test_invoices_and_payments_recorded_by_hand(city, manual_mode):
    issued = timezone.now() - timedelta(days=3)
    invoice = services.record_invoice(
        city=city.model,
        number="FV/2025/001",
        amount=149_000,
        currency="PLN",
        issued_at=issued,
        due_at=issued + timedelta(days=14),
        actor="op@r.example",
    )
    assert invoice.status == InvoiceStatus.OPEN
    services.record_payment(
        invoice=invoice, amount=100_000, paid_at=timezone.now(), reference="przelew 1"
    )
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.status) == (100_000, InvoiceStatus.OPEN)
    services.record_payment(invoice=invoice, amount=49_000, paid_at=timezone.now())
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.paid_at is not None
    assert invoice.payments.count() == 2
    with pytest.raises(services.BillingRefused) as refused:
        services.record_payment(invoice=invoice, amount=1, paid_at=timezone.now())
    assert "FV/2025/001" in refused.value.message
    assert manual_mode.requests == []


def test_bad_manual_input_is_refused_and_keeps_what_was_saved(city, manual_mode):
    invoice = services.record_invoice(
        city=city.model, number="FV/1", amount=1_000, currency="PLN", issued_at=timezone.now()
    )
    with pytest.raises(services.BillingRefused) as duplicate:
        services.record_invoice(
            city=city.model, number="FV/1", amount=2_000, currency="PLN", issued_at=timezone.now()
        )
    assert "FV/1" in duplicate.value.message
    with pytest.raises(services.BillingRefused):
        services.record_invoice(
            city=city.model, number="FV/2", amount=0, currency="PLN", issued_at=timezone.now()
        )
    with pytest.raises(services.BillingRefused):
        services.record_payment(invoice=invoice, amount=-5, paid_at=timezone.now())
    assert list(
        Invoice.objects.filter(city_id=city.model.pk).values_list(
            "number", "amount_due", "amount_paid"
        )
    ) == [("FV/1", 1_000, 0)]


def test_paying_a_manual_invoice_lifts_a_billing_suspension(city, manual_mode):
    account = services.ensure_account(city=city.model)
    subscriptions._suspend(account, City.objects.get(pk=city.model.pk), timezone.now())
    account.save()
    invoice = services.record_invoice(
        city=city.model, number="FV/9", amount=500, currency="EUR", issued_at=timezone.now()
    )
    services.record_payment(invoice=invoice, amount=500, paid_at=timezone.now())
    assert City.objects.get(pk=city.model.pk).status == CityStatus.ACTIVE


def test_operator_tools_write_the_city_history(city, manual_mode):
    services.grant_credit(
        city=city.model, amount=5_000, currency="PLN", reason="Goodwill", actor="op@ratusz.example"
    )
    with pytest.raises(services.BillingRefused):
        services.grant_credit(city=city.model, amount=5_000, currency="PLN", reason=" ")
    now = timezone.now()
    account = services.extend_trial(city=city.model, days=10, now=now)
    assert account.trial_ends_at is not None
    assert account.trial_ends_at >= now + timedelta(days=10)
    with pytest.raises(services.BillingRefused):
        services.extend_trial(city=city.model, days=0)
    services.mark_billed_outside_stripe(city=city.model, note="Umowa ramowa 12/2025")
    history = billing_history(city.model.pk)
    kinds = [entry.kind for entry in history["entries"]]
    assert {"credit", "trial_extended", "outside_stripe"} <= set(kinds)
    assert history["credits"][0].amount == 5_000
    assert history["account"].billed_outside_stripe
    assert manual_mode.requests == []


def test_trial_ended_unpaid_blocks_staff_until_a_plan_is_chosen(city, manual_mode):
    in_trial(city)
    account = services.ensure_account(city=city.model)
    ends = account.trial_ends_at
    assert ends is not None
    assert not billing_blocked(city.model.pk, now=ends - timedelta(seconds=1))
    assert billing_blocked(city.model.pk, now=ends)
    ended, ending = (
        billing_banner(city.model.pk, now=ends),
        billing_banner(city.model.pk, now=ends - timedelta(days=3)),
    )
    assert ended is not None and ended.level == "warning"
    assert ending is not None and ending.level == "info"

    services.extend_trial(city=city.model, days=7, now=ends)
    assert not billing_blocked(city.model.pk, now=ends + timedelta(days=6))
    assert billing_blocked(city.model.pk, now=ends + timedelta(days=8))

    services.choose_plan(
        city=city.model, plan_code="starter", interval="month", currency="PLN", method="invoice"
    )
    assert not billing_blocked(city.model.pk, now=ends + timedelta(days=100))


def test_active_and_outside_billed_cities_are_never_blocked(city, other_city, manual_mode):
    assert not billing_blocked(city.model.pk, now=timezone.now() + timedelta(days=400))
    in_trial(other_city)
    services.mark_billed_outside_stripe(city=other_city.model, note="Tender")
    # Marking it billed outside Stripe activates it, and it stays unblocked.
    assert not billing_blocked(other_city.model.pk, now=timezone.now() + timedelta(days=400))
    assert not billing_blocked(123_456_789)


def test_trial_reminders_go_to_administrators_once(
    city, city_admin, manual_mode, mailoutbox, committed
):
    in_trial(city)
    ends = services.ensure_account(city=city.model).trial_ends_at
    assert ends is not None
    with committed():
        assert services.send_trial_reminders(now=ends - timedelta(days=10)) == 0
        assert services.send_trial_reminders(now=ends - timedelta(days=6)) == 1
        assert services.send_trial_reminders(now=ends - timedelta(days=5)) == 0
        assert services.send_trial_reminders(now=ends - timedelta(hours=20)) == 1
        assert services.send_trial_reminders(now=ends - timedelta(hours=10)) == 0
    assert len(mailoutbox) == 2
    assert mailoutbox[0].to == ["urzednik@gdansk.example"]
    assert "/admin/billing/" in mailoutbox[0].body


def test_invoices_of_one_city_are_never_listed_for_another(city, other_city, manual_mode):
    services.record_invoice(
        city=city.model, number="GD/1", amount=100, currency="PLN", issued_at=timezone.now()
    )
    services.record_invoice(
        city=other_city.model, number="SP/1", amount=100, currency="EUR", issued_at=timezone.now()
    )
    assert [i.number for i in city_invoices(city.model.pk)] == ["GD/1"]
    assert [i.number for i in city_invoices(other_city.model.pk)] == ["SP/1"]


def test_partner_commission_selector_sums_paid_invoices_per_city_and_month(
    city, other_city, manual_mode
):
    def paid(target, number, amount, currency, when):
        invoice = services.record_invoice(
            city=target.model, number=number, amount=amount, currency=currency, issued_at=when
        )
        services.record_payment(invoice=invoice, amount=amount, paid_at=when)

    may = datetime(2025, 5, 10, 12, tzinfo=WARSAW)
    paid(city, "A1", 10_000, "PLN", may)
    paid(city, "A2", 5_000, "PLN", may + timedelta(days=5))
    paid(city, "A3", 700, "EUR", may)
    paid(city, "A4", 9_999, "PLN", datetime(2025, 6, 1, 0, 30, tzinfo=WARSAW))  # June in Warsaw
    paid(other_city, "B1", 2_000, "EUR", may)
    services.record_invoice(
        city=city.model, number="A5", amount=1, currency="PLN", issued_at=may
    )  # open: not counted

    rows = paid_invoices_for_month(city_ids=[city.model.pk], year=2025, month=5)
    assert [(r.city_id, r.currency, r.amount_paid, r.invoices) for r in rows] == [
        (city.model.pk, "EUR", 700, 1),
        (city.model.pk, "PLN", 15_000, 2),
    ]
    both = paid_invoices_for_month(
        city_ids=[city.model.pk, other_city.model.pk], year=2025, month=5
    )
    assert {r.city_id for r in both} == {city.model.pk, other_city.model.pk}
    june = paid_invoices_for_month(city_ids=[city.model.pk], year=2025, month=6)
    assert [(r.amount_paid, r.invoices) for r in june] == [(9_999, 1)]
    assert paid_invoices_for_month(city_ids=[], year=2025, month=5) == []
    assert HistoryEntry.objects.filter(city_id=other_city.model.pk, kind="payment").count() == 1
