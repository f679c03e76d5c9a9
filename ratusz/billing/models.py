"""Billing records, in the public schema and keyed by the city's id.

Rows name their city by plain id rather than by a foreign key: invoices and payments are
accounting records and must outlive a removed city (`purge_city` deletes the City row).
Amounts are in minor units (grosze, cents), as Stripe counts them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusz.billing.plans import Currency, Interval


class SubscriptionStatus(models.TextChoices):
    # Stripe's subscription statuses, plus "none" (no subscription yet).
    NONE = "", _("No subscription")
    TRIALING = "trialing", _("Trial")
    ACTIVE = "active", _("Active")
    INCOMPLETE = "incomplete", _("Waiting for the first payment")
    INCOMPLETE_EXPIRED = "incomplete_expired", _("First payment not made")
    PAST_DUE = "past_due", _("Payment overdue")
    UNPAID = "unpaid", _("Unpaid")
    CANCELED = "canceled", _("Cancelled")
    PAUSED = "paused", _("Paused")


class CollectionMethod(models.TextChoices):
    CARD = "card", _("Card")
    INVOICE = "invoice", _("Invoice (bank transfer)")


class BillingAccount(models.Model):
    """A city's billing: who pays, how, for which plan, and where its trial and grace stand."""

    city_id = models.BigIntegerField(_("city"), unique=True)
    plan = models.CharField(_("plan"), max_length=40, blank=True)
    interval = models.CharField(
        _("billing period"), max_length=8, choices=Interval.choices, default=Interval.MONTH
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.PLN
    )
    collection_method = models.CharField(
        _("payment method"), max_length=8, choices=CollectionMethod.choices, blank=True
    )
    # The customer's legal details, printed on invoices.
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    address_line1 = models.CharField(_("street and number"), max_length=200, blank=True)
    address_line2 = models.CharField(_("address, second line"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    address_city = models.CharField(_("town"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    tax_id = models.CharField(_("tax ID"), max_length=20, blank=True)
    billing_email = models.EmailField(_("invoice e-mail"), blank=True)

    stripe_customer_id = models.CharField(max_length=64, blank=True, db_index=True)
    stripe_subscription_id = models.CharField(max_length=64, blank=True, db_index=True)
    # The payment page (Stripe Checkout) made for the last card choice: while it is open the
    # same choice reuses it, and a different choice closes it, so two pages are never paid.
    checkout_session_id = models.CharField(max_length=255, blank=True)
    subscription_status = models.CharField(
        _("subscription"), max_length=20, choices=SubscriptionStatus.choices, blank=True
    )
    current_period_end = models.DateTimeField(_("paid until"), null=True, blank=True)

    trial_ends_at = models.DateTimeField(_("trial ends"), null=True, blank=True)
    # Days-before-the-end reminders already sent for the current trial end.
    trial_reminders_sent: models.JSONField[list[int], list[int]] = models.JSONField(
        default=list, blank=True
    )
    # Set when a payment went overdue; administrators see a banner until it is settled, and
    # the city is suspended once it passes.
    grace_ends_at = models.DateTimeField(_("grace period ends"), null=True, blank=True)
    # Operators may bill a city outside Stripe (a public tender, a framework agreement):
    # Stripe's state then never moves the city's lifecycle.
    # Set when billing suspended the city, so that paying reactivates it; a city an operator
    # suspended for another reason stays suspended.
    suspended_by_billing = models.BooleanField(default=False)
    billed_outside_stripe = models.BooleanField(_("billed outside Stripe"), default=False)
    outside_note = models.CharField(_("how the city is billed"), max_length=300, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("billing account")
        verbose_name_plural = _("billing accounts")

    def __str__(self) -> str:
        return f"billing of city {self.city_id}"

    @property
    def has_legal_details(self) -> bool:
        return bool(self.legal_name and self.address_line1 and self.postal_code and self.country)


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Awaiting payment")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")
    UNCOLLECTIBLE = "uncollectible", _("Uncollectible")


class InvoiceSource(models.TextChoices):
    MANUAL = "manual", _("Issued by hand")
    STRIPE = "stripe", _("Stripe")


class Invoice(models.Model):
    city_id = models.BigIntegerField(_("city"), db_index=True)
    source = models.CharField(max_length=8, choices=InvoiceSource.choices)
    number = models.CharField(_("number"), max_length=64, blank=True)
    stripe_invoice_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    amount_due = models.BigIntegerField(_("amount"))
    amount_paid = models.BigIntegerField(_("paid"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN
    )
    issued_at = models.DateTimeField(_("issued"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    pdf_url = models.URLField(_("PDF"), max_length=500, blank=True)
    hosted_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=models.Q(source="manual"),
                name="billing_manual_invoice_number_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_due__gte=0, amount_paid__gte=0),
                name="billing_invoice_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.number or self.stripe_invoice_id or f"invoice {self.pk}"


class Payment(models.Model):
    """A payment an operator recorded by hand (a bank transfer seen on the statement)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.BigIntegerField(_("amount"))
    paid_at = models.DateTimeField(_("paid"))
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    recorded_by = models.CharField(_("recorded by"), max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="billing_payment_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"payment {self.amount} on invoice {self.invoice_id}"


class Credit(models.Model):
    """Money an operator credited to a city, taken off its next invoices."""

    city_id = models.BigIntegerField(_("city"), db_index=True)
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    reason = models.CharField(_("reason"), max_length=300)
    granted_by = models.CharField(_("granted by"), max_length=254, blank=True)
    stripe_transaction_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="billing_credit_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"credit {self.amount} {self.currency} for city {self.city_id}"


class HistoryEntry(models.Model):
    """What happened to a city's billing, for operators (plan changes, payments, trial...)."""

    city_id = models.BigIntegerField(db_index=True)
    kind = models.CharField(max_length=40)
    message = models.CharField(max_length=500)
    data: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(
        default=dict, blank=True
    )
    actor = models.CharField(max_length=254, blank=True)
    at: models.DateTimeField[datetime, datetime] = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} (city {self.city_id})"


class WebhookEvent(models.Model):
    """A Stripe event as received: stored once (by its id), processed by a task."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=255, blank=True)
    payload: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # When its processing was last handed to the broker; empty while it never was (the broker
    # was down when it arrived): the sweeper queues those (and stale ones) again.
    queued_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
