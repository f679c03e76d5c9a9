"""The operator console's writes as services: each saves its change and its audit entry in
one transaction. A refusal leaves neither; an audit entry that cannot be written undoes the
change it would have recorded."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from ratusz.billing import services as billing
from ratusz.billing.models import Credit, HistoryEntry, Invoice, InvoiceStatus, Payment
from ratusz.onboarding import services as onboarding
from ratusz.onboarding.city_templates import TemplateRefused
from ratusz.onboarding.models import CityTemplate, PartnerInvitation, PartnerOrganisation
from ratusz.platform import audit, services
from ratusz.platform.audit import Actor
from ratusz.platform.models import AuditEntry
from ratusz.tenants.domains import DomainRefused, add_custom_domain, challenge
from ratusz.tenants.entitlements import FeatureNotAllowed, set_entitlements
from ratusz.tenants.models import Domain

HOST = "konsultacje.gdansk.pl"


@pytest.fixture(autouse=True)
def manual_billing(settings) -> None:
    """No Stripe key: billing is manual and nothing calls Stripe."""
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_API_KEY = ""


@pytest.fixture
def actor(operator) -> Actor:
    return Actor(id=operator.pk, email=operator.email, ip="198.51.100.7")


@pytest.fixture
def audit_fails(monkeypatch) -> None:
    """The audit log refuses to write: whatever the service saved before it must roll back."""

    def refuse(**kwargs: Any) -> None:
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(audit, "record", refuse)  # the one write of every operator action


@pytest.fixture
def organisation(db) -> PartnerOrganisation:
    return onboarding.create_partner_organisation(name="Konsultanci Sp. z o.o.")


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


# --- Billing ---------------------------------------------------------------------------------


def test_grant_city_credit_saves_the_credit_and_its_audit_entry(actor, city, other_city):
    credit = services.grant_city_credit(
        actor=actor, city=city.model, amount=5_000, currency="PLN", reason=" Outage in May "
    )
    assert Credit.objects.get(city_id=city.model.pk) == credit
    [entry] = entries("billing.credit")
    assert (entry.city_id, entry.actor_email, entry.ip_address) == (
        city.model.pk,
        actor.email,
        "198.51.100.7",
    )
    assert entry.after == {"credit": credit.pk, "amount": 5_000, "currency": "PLN"}
    assert entry.reason == "Outage in May"
    assert not Credit.objects.filter(city_id=other_city.model.pk).exists()


def test_a_refused_credit_leaves_no_credit_and_no_audit_entry(actor, city):
    with pytest.raises(billing.BillingRefused) as refused:
        services.grant_city_credit(
            actor=actor, city=city.model, amount=5_000, currency="PLN", reason="  "
        )
    assert refused.value.message == "Say why the credit is granted."
    assert not Credit.objects.filter(city_id=city.model.pk).exists()
    assert entries("billing.credit") == []


def test_a_credit_whose_audit_entry_fails_is_not_saved(actor, city, audit_fails):
    with pytest.raises(RuntimeError):
        services.grant_city_credit(
            actor=actor, city=city.model, amount=5_000, currency="PLN", reason="Outage"
        )
    assert not Credit.objects.filter(city_id=city.model.pk).exists()
    assert not HistoryEntry.objects.filter(city_id=city.model.pk, kind="credit").exists()


def test_extend_city_trial_records_the_end_before_and_after(actor, city):
    before = billing.ensure_account(city=city.model).trial_ends_at
    assert before is not None
    extended = services.extend_city_trial(actor=actor, city=city.model, days=14, reason="Pilot")
    # 14 days from the old end, or from today when the trial had ended.
    assert extended.trial_ends_at is not None
    assert extended.trial_ends_at >= before + timedelta(days=14)
    [entry] = entries("billing.extend_trial")
    assert entry.before["trial_ends_at"][:19] == before.isoformat()[:19]
    assert entry.after["days"] == 14
    assert entry.after["trial_ends_at"][:19] == extended.trial_ends_at.isoformat()[:19]
    assert entry.reason == "Pilot"


def test_a_refused_trial_extension_changes_nothing(actor, city):
    before = billing.ensure_account(city=city.model).trial_ends_at
    with pytest.raises(billing.BillingRefused):
        services.extend_city_trial(actor=actor, city=city.model, days=400)
    assert billing.ensure_account(city=city.model).trial_ends_at == before
    assert entries("billing.extend_trial") == []


def test_mark_city_billed_outside_stripe_audits_before_and_after(actor, city):
    services.mark_city_billed_outside_stripe(
        actor=actor, city=city.model, billed=True, note=" Public tender 12/2025 "
    )
    [entry] = entries("billing.outside_stripe")
    assert entry.before == {"billed_outside_stripe": False, "note": ""}
    assert entry.after == {"billed_outside_stripe": True, "note": "Public tender 12/2025"}
    assert entry.reason == "Public tender 12/2025"
    assert services.billing_mode(billing.ensure_account(city=city.model)) == "outside"


def test_record_city_invoice_and_payment_close_the_invoice_audited(actor, city):
    invoice = services.record_city_invoice(
        actor=actor,
        city=city.model,
        number="GD/2025/1",
        amount=12_300,
        currency="PLN",
        issued_at=timezone.now(),
    )
    [invoiced] = entries("billing.invoice")
    assert invoiced.after == {
        "invoice": invoice.pk,
        "number": "GD/2025/1",
        "amount": 12_300,
        "currency": "PLN",
    }
    payment = services.record_city_payment(
        actor=actor,
        city=city.model,
        invoice=invoice,
        amount=12_300,
        paid_at=timezone.now(),
        reference="Przelew 77",
    )
    assert invoice.status == InvoiceStatus.PAID
    [paid] = entries("billing.payment")
    assert paid.after == {
        "invoice": invoice.pk,
        "number": "GD/2025/1",
        "amount": payment.amount,
        "invoice_status": InvoiceStatus.PAID,
    }
    assert paid.reason == "Przelew 77"


def test_a_stripe_billed_city_gets_no_manual_invoice_nor_audit_entry(actor, city, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_not_called"
    with pytest.raises(billing.BillingRefused) as refused:
        services.record_city_invoice(
            actor=actor,
            city=city.model,
            number="GD/2025/2",
            amount=100,
            currency="PLN",
            issued_at=timezone.now(),
        )
    assert "billed through Stripe" in refused.value.message
    assert not Invoice.objects.filter(city_id=city.model.pk).exists()
    assert entries("billing.invoice") == []


def test_a_payment_on_a_closed_invoice_is_refused_and_not_audited(actor, city):
    invoice = billing.record_invoice(
        city=city.model, number="GD/2025/3", amount=100, currency="PLN", issued_at=timezone.now()
    )
    billing.record_payment(invoice=invoice, amount=100, paid_at=timezone.now())
    with pytest.raises(billing.BillingRefused):
        services.record_city_payment(
            actor=actor, city=city.model, invoice=invoice, amount=50, paid_at=timezone.now()
        )
    assert Payment.objects.filter(invoice=invoice).count() == 1
    assert entries("billing.payment") == []


# --- Domains ---------------------------------------------------------------------------------


def test_add_city_domain_saves_it_unverified_and_audited(actor, city):
    added = services.add_city_domain(actor=actor, city=city.model, host=HOST, reason="Ticket 4")
    assert added.tenant_id == city.model.pk and added.verified_at is None
    [entry] = entries("domain.add")
    assert (entry.city_id, entry.after, entry.reason) == (
        city.model.pk,
        {"domain": HOST},
        "Ticket 4",
    )


def test_a_refused_domain_is_neither_saved_nor_audited(actor, city, other_city):
    theirs = add_custom_domain(city_id=other_city.model.pk, domain=HOST)
    Domain.objects.filter(pk=theirs.pk).update(verified_at=timezone.now())  # proved theirs
    with pytest.raises(DomainRefused):
        services.add_city_domain(actor=actor, city=city.model, host=HOST)
    assert Domain.objects.get(domain=HOST).tenant_id == other_city.model.pk
    assert entries("domain.add") == []


def test_a_domain_outside_the_citys_plan_is_neither_saved_nor_audited(actor, city):
    set_entitlements(city=city.model, features={"custom_domain": False})
    with pytest.raises(FeatureNotAllowed):
        services.add_city_domain(actor=actor, city=city.model, host=HOST)
    assert not Domain.objects.filter(domain=HOST).exists()
    assert entries("domain.add") == []


def test_a_domain_whose_audit_entry_fails_is_not_saved(actor, city, audit_fails):
    with pytest.raises(RuntimeError):
        services.add_city_domain(actor=actor, city=city.model, host=HOST)
    assert not Domain.objects.filter(domain=HOST).exists()


def test_verify_city_domain_audits_every_check_with_its_outcome(actor, city, fake_dns):
    domain = add_custom_domain(city_id=city.model.pk, domain=HOST)

    missing = services.verify_city_domain(actor=actor, domain=domain)
    assert not missing.verified
    expected = challenge(domain)
    fake_dns.txt(expected.txt_name, expected.txt_value)
    found = services.verify_city_domain(actor=actor, domain=domain, reason="DNS changed")
    assert found.verified and found.domain.verified_at is not None

    first, second = entries("domain.verify")
    assert first.after == {"domain": HOST, "verified": False, "verified_at": None}
    assert second.before == {"domain": HOST, "verified_at": None}
    assert second.after["verified"] is True and second.reason == "DNS changed"


def test_verifying_the_citys_own_subdomain_is_refused_and_not_audited(actor, city):
    primary = Domain.objects.get(tenant_id=city.model.pk, is_primary=True)
    with pytest.raises(DomainRefused):
        services.verify_city_domain(actor=actor, domain=primary)
    assert entries("domain.verify") == []


# --- Templates, sign-in e-mail, partners -----------------------------------------------------


def test_retiring_an_unknown_template_is_refused_and_not_audited(actor):
    with pytest.raises(TemplateRefused):
        services.retire_city_template(actor=actor, code="no-such-template")
    assert not CityTemplate.objects.filter(code="no-such-template").exists()
    assert entries("template.retire") == []


def test_resending_for_a_city_not_made_by_the_wizard_is_refused(actor, city, mailoutbox):
    with pytest.raises(services.ActionRefused) as refused:
        services.resend_city_sign_in(actor=actor, city=city.model, reason="Lost it")
    assert "not made through the sign-up wizard" in str(refused.value)
    assert mailoutbox == []
    assert entries("onboarding.resend_sign_in") == []


def test_add_partner_organisation_and_change_its_rate_audited(actor):
    organisation = services.add_partner_organisation(
        actor=actor, name=" Doradcy Miejscy ", commission_rate=Decimal("0.15")
    )
    organisation.refresh_from_db()
    assert (organisation.name, organisation.commission_rate) == ("Doradcy Miejscy", Decimal("0.15"))
    changed = services.change_commission_rate(
        actor=actor, organisation=organisation, commission_rate=Decimal("0.2")
    )
    assert changed.commission_rate == Decimal("0.2")
    [created] = entries("partner.create")
    assert created.after["name"] == "Doradcy Miejscy"
    [rate] = entries("partner.commission_rate")
    assert Decimal(rate.before["commission_rate"]) == Decimal("0.15")
    assert Decimal(rate.after["commission_rate"]) == Decimal("0.2")


def test_a_rate_whose_audit_entry_fails_keeps_the_old_rate(actor, organisation, audit_fails):
    old = organisation.commission_rate
    with pytest.raises(RuntimeError):
        services.change_commission_rate(
            actor=actor, organisation=organisation, commission_rate=Decimal("0.5")
        )
    organisation.refresh_from_db()
    assert organisation.commission_rate == old


def test_an_invitation_whose_audit_entry_fails_is_neither_saved_nor_sent(
    actor, operator, organisation, audit_fails, committed, eager_tasks, mailoutbox
):
    with pytest.raises(RuntimeError), committed():
        services.invite_partner_consultant(
            actor=actor,
            organisation=organisation,
            email="konsultant@example.com",
            invited_by=operator,
        )
    assert not PartnerInvitation.objects.filter(organisation=organisation).exists()
    assert mailoutbox == []


def test_invite_partner_consultant_saves_the_invitation_audited(
    actor, operator, organisation, committed, eager_tasks, mailoutbox
):
    with committed():
        issued = services.invite_partner_consultant(
            actor=actor,
            organisation=organisation,
            email="Konsultant@Example.com",
            full_name="Anna Nowak",
            invited_by=operator,
        )
    [entry] = entries("partner.invite")
    assert entry.after == {
        "organisation": organisation.pk,
        "invitation": issued.invitation.pk,
        "email": "konsultant@example.com",
    }
    assert [m.to for m in mailoutbox] == [["konsultant@example.com"]]
