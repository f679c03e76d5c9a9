"""A city's customer details (legal name, address, tax id) and Stripe's customer portal."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ratusz.billing import gateway
from ratusz.billing.models import (
    BillingAccount,
)
from ratusz.billing.services.accounts import BillingRefused, _history, ensure_account
from ratusz.billing.taxids import parse_tax_id
from ratusz.tenants.models import City


def customer_details(account: BillingAccount) -> gateway.CustomerDetails:
    tax = parse_tax_id(account.tax_id) if account.tax_id else None
    return gateway.CustomerDetails(
        city_id=account.city_id,
        legal_name=account.legal_name,
        email=account.billing_email,
        line1=account.address_line1,
        line2=account.address_line2,
        postal_code=account.postal_code,
        town=account.address_city,
        country=account.country,
        tax_id=tax.value if tax else "",
        tax_id_type=tax.kind if tax else "",
    )


def save_legal_details(
    *,
    city: City,
    legal_name: str,
    address_line1: str,
    address_line2: str = "",
    postal_code: str,
    address_city: str,
    country: str,
    tax_id: str,
    billing_email: str,
    actor: str = "",
) -> BillingAccount:
    """Save who the invoices are made out to; in Stripe mode the Stripe customer first."""
    account = ensure_account(city=city)
    fields = {
        "legal_name": legal_name.strip(),
        "address_line1": address_line1.strip(),
        "address_line2": address_line2.strip(),
        "postal_code": postal_code.strip(),
        "address_city": address_city.strip(),
        "country": country.strip().upper(),
        "tax_id": parse_tax_id(tax_id).value if tax_id.strip() else "",
        "billing_email": billing_email.strip(),
    }
    with transaction.atomic():
        # Locked like a plan choice: two saves at once must not make two Stripe customers.
        account = BillingAccount.objects.select_for_update().get(pk=account.pk)
        for name, value in fields.items():
            setattr(account, name, value)
        if gateway.stripe_enabled():
            account.stripe_customer_id = gateway.save_customer(
                customer_id=account.stripe_customer_id, details=customer_details(account)
            )
        account.save()
        _history(account, "details", _("Legal details for invoices updated."), actor=actor)
    return account


def portal_url(*, city: City, return_url: str) -> str:
    account = ensure_account(city=city)
    if not gateway.stripe_enabled() or not account.stripe_customer_id:
        raise BillingRefused(_("There is nothing to manage with the payment provider yet."))
    return gateway.create_portal_session(
        customer_id=account.stripe_customer_id, return_url=return_url
    )
