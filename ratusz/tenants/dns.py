"""DNS look-ups (addresses, CNAME and TXT records), the one place Ratusz asks DNS anything.

Through dnspython, at the nameservers of the `DNS_NAMESERVERS` setting ("192.0.2.53" or
"127.0.0.1:5353", comma-separated in the environment), or the machine's own (resolv.conf) when
it is empty. Tests start a small DNS server on 127.0.0.1 and point the setting at it, so the
code that runs in production is the code they test. A name that does not resolve, a server
that does not answer in `DNS_TIMEOUT` seconds and a malformed name all read as "no records":
the caller tells the person what it did not find.
"""

from __future__ import annotations

import logging
from typing import Any

import dns.exception
import dns.nameserver
import dns.resolver
from django.conf import settings

logger = logging.getLogger(__name__)


def _nameserver(spec: str) -> dns.nameserver.Nameserver:
    host, _sep, port = spec.rpartition(":") if spec.count(":") == 1 else ("", "", "")
    if host and port.isdigit():
        return dns.nameserver.Do53Nameserver(host, int(port))
    return dns.nameserver.Do53Nameserver(spec, 53)


def _resolver() -> dns.resolver.Resolver | None:
    configured = [str(s).strip() for s in getattr(settings, "DNS_NAMESERVERS", ()) if str(s)]
    timeout = float(getattr(settings, "DNS_TIMEOUT", 3.0))
    try:
        resolver = dns.resolver.Resolver(configure=not configured)
    except dns.resolver.NoResolverConfiguration:
        logger.warning("no DNS resolver configured (no DNS_NAMESERVERS, no resolv.conf)")
        return None
    if configured:
        resolver.nameservers = [_nameserver(spec) for spec in configured]
    resolver.lifetime = timeout
    resolver.timeout = timeout
    return resolver


def _records(name: str, kind: str) -> list[Any]:
    resolver = _resolver()
    if resolver is None:
        return []
    try:
        answer = resolver.resolve(name, kind, search=False)
    except (dns.exception.DNSException, ValueError, UnicodeError) as exc:
        # NXDOMAIN, no answer, no nameserver answering, a timeout, a malformed name.
        logger.info("DNS %s %s: %s", kind, name, type(exc).__name__)
        return []
    return list(answer)


def addresses(name: str) -> set[str]:
    """The IPv4 and IPv6 addresses `name` resolves to (through any CNAME)."""
    return {str(record.address) for kind in ("A", "AAAA") for record in _records(name, kind)}


def cname(name: str) -> str:
    """Where the CNAME record of `name` points (lower case, no final dot), or ""."""
    targets = _records(name, "CNAME")
    return str(targets[0].target.to_text()).rstrip(".").lower() if targets else ""


def txt(name: str) -> list[str]:
    """The TXT records of `name`, each as one string (its character-strings joined)."""
    return [b"".join(record.strings).decode("utf-8", "replace") for record in _records(name, "TXT")]
