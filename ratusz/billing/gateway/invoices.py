"""Stripe's invoices, as plain dicts."""

from __future__ import annotations

from typing import Any

from ratusz.billing.gateway.connection import _dict, _when, calling_stripe, client


def invoice_state(invoice: dict[str, Any]) -> dict[str, Any]:
    transitions = invoice.get("status_transitions") or {}
    return {
        "id": invoice["id"],
        "customer": invoice.get("customer") or "",
        "number": invoice.get("number") or "",
        "status": invoice.get("status") or "draft",
        "currency": str(invoice.get("currency", "")).upper(),
        "amount_due": int(invoice.get("amount_due") or 0),
        "amount_paid": int(invoice.get("amount_paid") or 0),
        "issued_at": _when(invoice.get("created")),
        "due_at": _when(invoice.get("due_date")),
        "paid_at": _when(transitions.get("paid_at")),
        "pdf_url": invoice.get("invoice_pdf") or "",
        "hosted_url": invoice.get("hosted_invoice_url") or "",
        "description": invoice.get("description") or "",
    }


def retrieve_invoice(invoice_id: str) -> dict[str, Any]:
    with calling_stripe():
        return invoice_state(_dict(client().v1.invoices.retrieve(invoice_id)))


def list_invoices(customer_id: str, limit: int = 24) -> list[dict[str, Any]]:
    with calling_stripe():
        page = _dict(client().v1.invoices.list({"customer": customer_id, "limit": limit}))
    return [invoice_state(invoice) for invoice in page["data"]]
