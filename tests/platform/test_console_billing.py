"""The operator console's billing of a city: the plan and subscription state, the billing
history and partner on the city page, and each billing action (credit, trial, billed outside
Stripe, manual invoices and payments) confirmed, done through billing's service, audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.billing import services as billing
from ratusz.billing.models import BillingAccount, Credit, HistoryEntry, Invoice, InvoiceStatus
from ratusz.onboarding import services as onboarding
from ratusz.onboarding.models import PartnerCity
from ratusz.platform.models import AuditEntry
from ratusz.tenants.context import city_context
from tests.conftest import force_login_with_second_factor


@pytest.fixture
def console(operator, control_client) -> Client:
    """A signed-in operator with two-factor authentication."""
    Authenticator.objects.create(user=operator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    force_login_with_second_factor(control_client, operator)
    return control_client


@pytest.fixture(autouse=True)
def manual_billing(settings) -> None:
    """No Stripe key: billing is manual and nothing calls Stripe."""
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_API_KEY = ""


def url(city: Any, action: str = "") -> str:
    base = f"/console/cities/{city.model.slug}/"
    return f"{base}billing/{action}/" if action else base


def audit(action: str, city: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, city_id=city.model.pk))


def html(response: Any) -> str:
    return response.content.decode()


# --- The city page ---------------------------------------------------------------------------


def test_city_page_shows_plan_subscription_history_and_partner(console, city, other_city):
    billing.choose_plan(
        city=city.model, plan_code="standard", interval="month", currency="PLN", method="invoice"
    )
    billing.record_invoice(
        city=city.model,
        number="FV/7/2025",
        amount=149_000,
        currency="PLN",
        issued_at=timezone.now(),
    )
    billing.grant_credit(city=city.model, amount=5_000, currency="PLN", reason="Outage in May")
    billing.record_invoice(
        city=other_city.model, number="SP/9", amount=100, currency="EUR", issued_at=timezone.now()
    )
    organisation = onboarding.create_partner_organisation(name="Doradcy Północ")
    PartnerCity.objects.create(organisation=organisation, city_id=city.model.pk)

    page = html(console.get(url(city)))
    assert "Plan and subscription" in page or "Plan i subskrypcja" in page
    assert "(standard)" in page
    assert "FV/7/2025" in page
    assert "Outage in May" in page
    assert "Doradcy Północ" in page
    assert f"/console/partners/{organisation.pk}/" in page
    assert "SP/9" not in page  # another city's invoice never shows here
    # Manual mode: the forms for invoices and payments are offered, each with a confirmation.
    assert 'action="/console/cities/gdansk-test/billing/invoice/"' in page
    assert 'id="id_credit_confirm"' in page and 'id="id_payment_confirm"' in page


def test_city_without_billing_account_shows_the_default_trial(console, city):
    assert not BillingAccount.objects.filter(city_id=city.model.pk).exists()
    response = console.get(url(city))
    assert response.status_code == 200
    trial_end = city.model.created_at + timedelta(days=30)
    assert timezone.localtime(trial_end).strftime("%Y-%m-%d") in html(response)


# --- Grant credit ----------------------------------------------------------------------------


def test_grant_credit_through_the_service_and_audited(console, city):
    response = console.post(
        url(city, "credit"),
        {"amount": "120.50", "currency": "EUR", "reason": "Goodwill", "confirm": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == url(city)
    credit = Credit.objects.get(city_id=city.model.pk)
    assert (credit.amount, credit.currency, credit.reason) == (12_050, "EUR", "Goodwill")
    assert credit.granted_by == "operator@ratusz.example"
    assert HistoryEntry.objects.filter(city_id=city.model.pk, kind="credit").exists()
    [entry] = audit("billing.credit", city)
    assert entry.after["amount"] == 12_050 and entry.after["currency"] == "EUR"
    assert entry.reason == "Goodwill" and entry.actor_email == "operator@ratusz.example"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "-10", "currency": "PLN"}, "Enter an amount greater than zero."),
        ({"amount": "0", "currency": "PLN"}, "Enter an amount greater than zero."),
        ({"amount": "10", "currency": "USD"}, "Choose one of the currencies: PLN or EUR."),
        ({"amount": "ten", "currency": "PLN"}, "Enter an amount, for example 120.50."),
    ],
)
def test_grant_credit_refuses_bad_input(console, city, data, message):
    billing.grant_credit(city=city.model, amount=100, currency="PLN", reason="earlier")
    response = console.post(url(city, "credit"), {**data, "reason": "x", "confirm": "on"})
    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert 'class="error-summary"' in page
    # What was saved before is still there; nothing new was saved or audited.
    assert list(Credit.objects.filter(city_id=city.model.pk).values_list("reason", flat=True)) == [
        "earlier"
    ]
    assert audit("billing.credit", city) == []


def test_every_action_must_be_confirmed(console, city):
    response = console.post(
        url(city, "credit"), {"amount": "10", "currency": "PLN", "reason": "Goodwill"}
    )
    assert response.status_code == 400
    assert "Tick the box to confirm." in html(response)
    assert not Credit.objects.filter(city_id=city.model.pk).exists()
    response = console.post(url(city, "trial"), {"days": "7"})
    assert response.status_code == 400
    assert audit("billing.extend_trial", city) == []


def test_the_confirmation_page_is_reachable_without_javascript(console, city):
    response = console.get(url(city, "credit"))
    assert response.status_code == 200
    page = html(response)
    assert '<label for="id_credit_amount">' in page and 'name="confirm"' in page


# --- Trial -----------------------------------------------------------------------------------


def test_extend_trial_by_days_audited_with_before_and_after(console, city):
    account = billing.ensure_account(city=city.model)
    ends = timezone.now() + timedelta(days=3)
    BillingAccount.objects.filter(pk=account.pk).update(trial_ends_at=ends)
    response = console.post(
        url(city, "trial"), {"days": "10", "reason": "Council vote delayed", "confirm": "on"}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.trial_ends_at == ends + timedelta(days=10)
    [entry] = audit("billing.extend_trial", city)
    assert entry.after["days"] == 10
    assert entry.before["trial_ends_at"] is not None
    assert entry.reason == "Council vote delayed"


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("0", "Extend the trial by at least 1 day."),
        ("-5", "Extend the trial by at least 1 day."),
        ("400", "Extend the trial by at most 365 days."),
    ],
)
def test_extend_trial_refuses_bad_day_counts(console, city, days, message):
    account = billing.ensure_account(city=city.model)
    before = account.trial_ends_at
    response = console.post(url(city, "trial"), {"days": days, "confirm": "on"})
    assert response.status_code == 400
    assert message in html(response)
    account.refresh_from_db()
    assert account.trial_ends_at == before
    assert audit("billing.extend_trial", city) == []


# --- Billed outside Stripe -------------------------------------------------------------------


def test_mark_billed_outside_stripe_needs_a_reference_then_is_audited(console, city):
    response = console.post(url(city, "outside-stripe"), {"billed": "outside", "confirm": "on"})
    assert response.status_code == 400
    assert "Name the agreement or tender" in html(response)
    assert not BillingAccount.objects.filter(
        city_id=city.model.pk, billed_outside_stripe=True
    ).exists()

    response = console.post(
        url(city, "outside-stripe"),
        {"billed": "outside", "note": "Umowa ramowa ZP/12/2025", "confirm": "on"},
    )
    assert response.status_code == 302
    account = BillingAccount.objects.get(city_id=city.model.pk)
    assert account.billed_outside_stripe and account.outside_note == "Umowa ramowa ZP/12/2025"
    [entry] = audit("billing.outside_stripe", city)
    assert entry.before["billed_outside_stripe"] is False
    assert entry.after == {"billed_outside_stripe": True, "note": "Umowa ramowa ZP/12/2025"}
    page = html(console.get(url(city)))
    assert "Billed outside Stripe" in page and "Umowa ramowa ZP/12/2025" in page

    console.post(url(city, "outside-stripe"), {"billed": "stripe", "confirm": "on"})
    account.refresh_from_db()
    assert not account.billed_outside_stripe
    assert len(audit("billing.outside_stripe", city)) == 2


# --- Manual invoices and payments ------------------------------------------------------------


def _invoice_data(**overrides: str) -> dict[str, str]:
    data = {
        "number": "FV/1/2025",
        "amount": "1490.00",
        "currency": "PLN",
        "issued_on": timezone.localdate().isoformat(),
        "due_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "description": "Standard, May",
        "confirm": "on",
    }
    data.update(overrides)
    return data


def test_record_an_invoice_then_a_payment_closes_it(console, city):
    response = console.post(url(city, "invoice"), _invoice_data())
    assert response.status_code == 302
    invoice = Invoice.objects.get(city_id=city.model.pk)
    assert (invoice.number, invoice.amount_due, invoice.status) == ("FV/1/2025", 149_000, "open")
    [entry] = audit("billing.invoice", city)
    assert entry.after["number"] == "FV/1/2025" and entry.after["amount"] == 149_000

    response = console.post(
        url(city, "payment"),
        {
            "invoice": invoice.pk,
            "amount": "1490",
            "paid_on": timezone.localdate().isoformat(),
            "reference": "Przelew 123",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.amount_paid == 149_000
    assert invoice.payments.get().reference == "Przelew 123"
    [entry] = audit("billing.payment", city)
    assert entry.after["invoice"] == invoice.pk and entry.after["amount"] == 149_000
    page = html(console.get(url(city)))
    assert "Przelew 123" in page


def test_a_duplicate_invoice_number_is_refused_and_the_first_kept(console, city):
    console.post(url(city, "invoice"), _invoice_data())
    response = console.post(url(city, "invoice"), _invoice_data(amount="5"))
    assert response.status_code == 400
    assert "An invoice numbered FV/1/2025 exists already." in html(response)
    assert list(
        Invoice.objects.filter(city_id=city.model.pk).values_list("amount_due", flat=True)
    ) == [149_000]
    assert len(audit("billing.invoice", city)) == 1


def test_invoice_bad_input(console, city):
    response = console.post(
        url(city, "invoice"),
        _invoice_data(amount="-1", currency="GBP", due_on="2000-01-01", number=" "),
    )
    assert response.status_code == 400
    page = html(response)
    assert "Enter an amount greater than zero." in page
    assert "Choose one of the currencies: PLN or EUR." in page
    assert "The due date cannot be before the issue date." in page
    assert not Invoice.objects.filter(city_id=city.model.pk).exists()


def test_a_payment_against_another_citys_invoice_is_refused(console, city, other_city):
    theirs = billing.record_invoice(
        city=other_city.model, number="SP/1", amount=1_000, currency="EUR", issued_at=timezone.now()
    )
    response = console.post(
        url(city, "payment"),
        {
            "invoice": theirs.pk,
            "amount": "10",
            "paid_on": timezone.localdate().isoformat(),
            "confirm": "on",
        },
    )
    assert response.status_code == 400
    assert "Choose one of this city&#x27;s open invoices." in html(response)
    theirs.refresh_from_db()
    assert theirs.amount_paid == 0 and not theirs.payments.exists()
    assert audit("billing.payment", city) == [] and audit("billing.payment", other_city) == []


def test_a_payment_dated_in_the_future_is_refused(console, city):
    invoice = billing.record_invoice(
        city=city.model, number="GD/1", amount=1_000, currency="PLN", issued_at=timezone.now()
    )
    response = console.post(
        url(city, "payment"),
        {
            "invoice": invoice.pk,
            "amount": "10",
            "paid_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "confirm": "on",
        },
    )
    assert response.status_code == 400
    assert "A payment cannot be dated in the future." in html(response)
    assert not invoice.payments.exists()


def test_stripe_billed_city_takes_no_manual_invoice(console, city, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_console"
    page = html(console.get(url(city)))
    assert "Stripe issues this city's invoices." in page
    assert 'action="/console/cities/gdansk-test/billing/invoice/"' not in page
    response = console.post(url(city, "invoice"), _invoice_data())
    assert response.status_code == 400
    assert "Mark it as billed outside Stripe first." in html(response)
    assert not Invoice.objects.filter(city_id=city.model.pk).exists()
    assert audit("billing.invoice", city) == []


# --- Permissions -----------------------------------------------------------------------------

ACTIONS = ["credit", "trial", "outside-stripe", "invoice", "payment"]


def test_a_partner_cannot_reach_the_billing_pages(control_client, city):
    partner = User.objects.create_user("partner@example.com", "pw", role=Role.PARTNER)
    Authenticator.objects.create(user=partner, type=Authenticator.Type.TOTP, data={"secret": "x"})
    control_client.force_login(partner)
    assert control_client.get(url(city)).status_code == 403
    for action in ACTIONS:
        assert control_client.get(url(city, action)).status_code == 403
        response = control_client.post(
            url(city, action),
            {"amount": "10", "currency": "PLN", "reason": "x", "days": "5", "confirm": "on"},
        )
        assert response.status_code == 403
    assert not Credit.objects.filter(city_id=city.model.pk).exists()
    assert AuditEntry.objects.filter(city_id=city.model.pk).count() == 0


def test_a_city_administrator_never_reaches_the_console(city, city_admin):
    client = city.client()
    with city_context(city.ref):
        client.force_login(city_admin)
    for action in ACTIONS:
        assert client.get(url(city, action)).status_code == 404
        assert (
            client.post(
                url(city, action), {"amount": "10", "currency": "PLN", "confirm": "on"}
            ).status_code
            == 404
        )
    assert not Credit.objects.filter(city_id=city.model.pk).exists()


def test_an_operator_without_two_factor_is_sent_to_set_it_up(operator, control_client, city):
    control_client.force_login(operator)
    response = control_client.post(
        url(city, "credit"), {"amount": "10", "currency": "PLN", "reason": "x", "confirm": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert not Credit.objects.filter(city_id=city.model.pk).exists()
