"""Fixtures of the console tests."""

from __future__ import annotations

from tests.tenants.fake_dns import fake_dns  # noqa: F401  # the custom-domain tests' DNS server
