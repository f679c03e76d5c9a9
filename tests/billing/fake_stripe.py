"""A small stand-in for Stripe's API, started by the tests on a local port.

The real `stripe` library talks to it over HTTP (form-encoded bodies, Stripe's JSON objects
and error shapes), so the production code path is exercised end to end. It implements only
the endpoints billing uses and keeps every request it received, for assertions.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

PERIOD = 30 * 24 * 3600


def decode_form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """`a[b][0][c]=1` -> {"a": {"b": [{"c": "1"}]}}, as Stripe decodes its form bodies."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    def listify(node: Any) -> Any:
        if isinstance(node, dict):
            if node and all(k.isdigit() for k in node):
                return [listify(node[k]) for k in sorted(node, key=int)]
            return {k: listify(v) for k, v in node.items()}
        return node

    return listify(root)


class StripeError(Exception):
    def __init__(self, status: int, message: str, code: str = "") -> None:
        self.status, self.message, self.code = status, message, code


class FakeStripe:
    def __init__(self) -> None:
        self.objects: dict[str, dict[str, dict[str, Any]]] = {}
        self.requests: list[tuple[str, str, dict[str, Any]]] = []
        # Answers by idempotency key, replayed as Stripe does for a key it has seen.
        self.idempotent: dict[str, tuple[int, dict[str, Any]]] = {}
        self.lock = threading.Lock()
        self._ids = itertools.count(1)
        # Where payment pages live; a browser test uses Stripe's real host (the page's CSP
        # allows it) and answers it itself.
        self.checkout_base = "https://checkout.stripe.test"
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeStripe:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def posts(self) -> list[tuple[str, str, dict[str, Any]]]:
        return [r for r in self.requests if r[0] in ("POST", "DELETE")]

    # --- state helpers for tests -------------------------------------------------------------

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._ids):06d}"

    def store(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        self.objects.setdefault(kind, {})[obj["id"]] = obj
        return obj

    def get(self, kind: str, object_id: str) -> dict[str, Any]:
        try:
            return self.objects.get(kind, {})[object_id]
        except KeyError:
            raise StripeError(404, f"No such {kind}: '{object_id}'", "resource_missing") from None

    def complete_checkout(self, session_id: str) -> dict[str, Any]:
        """The administrator paid on Stripe's page: a subscription now exists."""
        with self.lock:
            session = self.get("checkout_sessions", session_id)
            subscription = self._new_subscription(
                customer=session["customer"],
                price_id=session["line_items"][0]["price"],
                metadata=session["subscription_data"]["metadata"],
                collection_method="charge_automatically",
            )
            session["subscription"] = subscription["id"]
            session["status"] = "complete"
            return subscription

    def set_subscription_status(self, subscription_id: str, status: str) -> dict[str, Any]:
        with self.lock:
            subscription = self.get("subscriptions", subscription_id)
            subscription["status"] = status
            return subscription

    def pay_invoice(self, invoice_id: str) -> dict[str, Any]:
        with self.lock:
            invoice = self.get("invoices", invoice_id)
            invoice["status"] = "paid"
            invoice["amount_paid"] = invoice["amount_due"]
            invoice["status_transitions"]["paid_at"] = int(time.time())
            return invoice

    def add_invoice(self, customer: str, subscription: str, amount: int, currency: str) -> dict:
        with self.lock:
            return self._new_invoice(customer, subscription, amount, currency)

    # --- objects -----------------------------------------------------------------------------

    def _new_invoice(
        self, customer: str, subscription: str, amount: int, currency: str
    ) -> dict[str, Any]:
        invoice_id = self.new_id("in")
        now = int(time.time())
        return self.store(
            "invoices",
            {
                "id": invoice_id,
                "object": "invoice",
                "customer": customer,
                "number": f"RAT-{invoice_id[-4:]}",
                "status": "open",
                "currency": currency,
                "amount_due": amount,
                "amount_paid": 0,
                "created": now,
                "due_date": now + 14 * 86400,
                "status_transitions": {"paid_at": None},
                "invoice_pdf": f"https://pay.stripe.test/invoice/{invoice_id}/pdf",
                "hosted_invoice_url": f"https://pay.stripe.test/invoice/{invoice_id}",
                "parent": {"subscription_details": {"subscription": subscription}},
                "description": None,
            },
        )

    def _new_subscription(
        self,
        *,
        customer: str,
        price_id: str,
        metadata: dict[str, Any],
        collection_method: str,
        days_until_due: int | None = None,
    ) -> dict[str, Any]:
        price = self.get("prices", price_id)
        subscription_id = self.new_id("sub")
        now = int(time.time())
        subscription = self.store(
            "subscriptions",
            {
                "id": subscription_id,
                "object": "subscription",
                "customer": customer,
                "status": "active",
                "collection_method": collection_method,
                "days_until_due": days_until_due,
                "metadata": metadata,
                "items": {
                    "object": "list",
                    "data": [
                        {
                            "id": self.new_id("si"),
                            "object": "subscription_item",
                            "price": price,
                            "quantity": 1,
                            "current_period_start": now,
                            "current_period_end": now + PERIOD,
                        }
                    ],
                    "has_more": False,
                    "url": f"/v1/subscription_items?subscription={subscription_id}",
                },
            },
        )
        self._new_invoice(customer, subscription_id, price["unit_amount"], price["currency"])
        return subscription

    # --- HTTP --------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, fmt: str, *args: Any) -> None:  # quiet
                return

            def _respond(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", "req_fake")
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method: str) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                params = decode_form(parse_qsl(parts.query, keep_blank_values=True))
                params.update(decode_form(parse_qsl(body, keep_blank_values=True)))
                if not (self.headers.get("Authorization") or "").startswith("Bearer sk_test"):
                    self._respond(
                        401,
                        {
                            "error": {
                                "type": "invalid_request_error",
                                "message": "Invalid API Key provided",
                            }
                        },
                    )
                    return
                key = self.headers.get("Idempotency-Key") if method == "POST" else None
                with fake.lock:
                    fake.requests.append((method, parts.path, params))
                    if key is not None and key in fake.idempotent:
                        self._respond(*fake.idempotent[key])
                        return
                    try:
                        status, result = 200, fake.route(method, parts.path, params)
                    except StripeError as error:
                        status, result = (
                            error.status,
                            {
                                "error": {
                                    "type": "invalid_request_error",
                                    "message": error.message,
                                    "code": error.code,
                                }
                            },
                        )
                    if key is not None:
                        fake.idempotent[key] = (status, result)
                self._respond(status, result)

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

            def do_DELETE(self) -> None:
                self._handle("DELETE")

        return Handler

    def _list(self, url: str, items: list[dict[str, Any]]) -> dict[str, Any]:
        return {"object": "list", "data": items, "has_more": False, "url": url}

    def route(self, method: str, path: str, params: dict[str, Any]) -> dict[str, Any]:
        segments = path.strip("/").split("/")[1:]  # drop "v1"
        match method, segments:
            case "POST", ["customers"]:
                customer_id = self.new_id("cus")
                customer = self.store(
                    "customers",
                    {
                        "id": customer_id,
                        "object": "customer",
                        "metadata": {},
                        "balance": 0,
                        **{k: v for k, v in params.items() if k != "tax_id_data"},
                    },
                )
                for tax in params.get("tax_id_data", []):
                    self._new_tax_id(customer_id, tax)
                return customer
            case "POST", ["customers", customer_id]:
                customer = self.get("customers", customer_id)
                customer.update(params)
                return customer
            case "GET", ["customers", customer_id, "tax_ids"]:
                self.get("customers", customer_id)
                items = [
                    t
                    for t in self.objects.get("tax_ids", {}).values()
                    if t["customer"] == customer_id
                ]
                return self._list(path, items)
            case "POST", ["customers", customer_id, "tax_ids"]:
                self.get("customers", customer_id)
                return self._new_tax_id(customer_id, params)
            case "DELETE", ["customers", customer_id, "tax_ids", tax_id]:
                self.objects.get("tax_ids", {}).pop(tax_id, None)
                return {"id": tax_id, "object": "tax_id", "deleted": True}
            case "POST", ["customers", customer_id, "balance_transactions"]:
                customer = self.get("customers", customer_id)
                customer["balance"] += int(params["amount"])
                return self.store(
                    "balance_transactions",
                    {
                        "id": self.new_id("cbtxn"),
                        "object": "customer_balance_transaction",
                        "customer": customer_id,
                        "amount": int(params["amount"]),
                        "currency": params["currency"],
                    },
                )
            case "GET", ["products", product_id]:
                return self.get("products", product_id)
            case "POST", ["products"]:
                if params["id"] in self.objects.get("products", {}):
                    raise StripeError(400, "Product already exists.", "resource_already_exists")
                return self.store("products", {"object": "product", "active": True, **params})
            case "POST", ["products", product_id]:
                product = self.get("products", product_id)
                product.update(params)
                product["active"] = params.get("active") in (True, "true", None)
                return product
            case "GET", ["prices"]:
                keys = set(params.get("lookup_keys", []))
                items = [
                    p
                    for p in self.objects.get("prices", {}).values()
                    if p["active"] and (not keys or p["lookup_key"] in keys)
                ]
                return self._list(path, items[: int(params.get("limit", 10))])
            case "POST", ["prices"]:
                if params.get("transfer_lookup_key") == "true":
                    for other in self.objects.get("prices", {}).values():
                        if other["lookup_key"] == params["lookup_key"]:
                            other["lookup_key"] = None
                self.get("products", params["product"])
                return self.store(
                    "prices",
                    {
                        "id": self.new_id("price"),
                        "object": "price",
                        "active": True,
                        "product": params["product"],
                        "currency": params["currency"],
                        "unit_amount": int(params["unit_amount"]),
                        "recurring": {"interval": params["recurring"]["interval"]},
                        "lookup_key": params["lookup_key"],
                        "metadata": params.get("metadata", {}),
                    },
                )
            case "POST", ["checkout", "sessions"]:
                self.get("customers", params["customer"])
                for item in params["line_items"]:
                    self.get("prices", item["price"])
                session_id = self.new_id("cs")
                return self.store(
                    "checkout_sessions",
                    {
                        "id": session_id,
                        "object": "checkout.session",
                        "status": "open",
                        "url": f"{self.checkout_base}/c/pay/{session_id}",
                        "subscription": None,
                        **params,
                    },
                )
            case "GET", ["checkout", "sessions", session_id]:
                return self.get("checkout_sessions", session_id)
            case "POST", ["checkout", "sessions", session_id, "expire"]:
                session = self.get("checkout_sessions", session_id)
                if session["status"] != "open":
                    raise StripeError(400, "Only open sessions can be expired.")
                session["status"], session["url"] = "expired", None
                return session
            case "GET", ["subscriptions"]:
                items = [
                    s
                    for s in self.objects.get("subscriptions", {}).values()
                    if s["customer"] == params.get("customer")
                ]
                return self._list(path, items[: int(params.get("limit", 10))])
            case "POST", ["subscriptions"]:
                self.get("customers", params["customer"])
                return self._new_subscription(
                    customer=params["customer"],
                    price_id=params["items"][0]["price"],
                    metadata=params.get("metadata", {}),
                    collection_method=params.get("collection_method", "charge_automatically"),
                    days_until_due=int(params["days_until_due"])
                    if "days_until_due" in params
                    else None,
                )
            case "GET", ["subscriptions", subscription_id]:
                return self.get("subscriptions", subscription_id)
            case "POST", ["subscriptions", subscription_id]:
                subscription = self.get("subscriptions", subscription_id)
                for change in params.get("items", []):
                    for item in subscription["items"]["data"]:
                        if item["id"] == change["id"]:
                            item["price"] = self.get("prices", change["price"])
                return subscription
            case "GET", ["invoices"]:
                items = [
                    i
                    for i in self.objects.get("invoices", {}).values()
                    if i["customer"] == params.get("customer")
                ]
                return self._list(path, sorted(items, key=lambda i: i["id"], reverse=True))
            case "GET", ["invoices", invoice_id]:
                return self.get("invoices", invoice_id)
            case "POST", ["billing_portal", "sessions"]:
                self.get("customers", params["customer"])
                session_id = self.new_id("bps")
                return self.store(
                    "portal_sessions",
                    {
                        "id": session_id,
                        "object": "billing_portal.session",
                        "url": f"https://billing.stripe.test/p/session/{session_id}",
                        **params,
                    },
                )
        raise StripeError(404, f"Unrecognized request URL ({method}: {path})")

    def _new_tax_id(self, customer_id: str, data: dict[str, Any]) -> dict[str, Any]:
        return self.store(
            "tax_ids",
            {
                "id": self.new_id("txi"),
                "object": "tax_id",
                "customer": customer_id,
                "type": data["type"],
                "value": data["value"],
            },
        )


def sign(payload: str, secret: str, timestamp: int | None = None) -> str:
    """A Stripe-Signature header: t=<unix time>,v1=HMAC-SHA256(secret, "t.payload")."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def event_payload(event_type: str, obj: dict[str, Any], event_id: str | None = None) -> str:
    return json.dumps(
        {
            "id": event_id or f"evt_{time.time_ns()}",
            "object": "event",
            "api_version": "2025-01-01",
            "created": int(time.time()),
            "type": event_type,
            "livemode": False,
            "data": {"object": obj},
        }
    )
