"""A small DNS server for the tests, on 127.0.0.1 over UDP, answering from a table the test
fills (A, AAAA, CNAME and TXT records). Ratusz's own look-ups (ratusz.tenants.dns, through
dnspython) are pointed at it by the DNS_NAMESERVERS setting, exactly as production points
them at a real nameserver: nothing of the code under test is replaced.

    A test asks for the `fake_dns` fixture and fills the table:
        fake_dns.cname("konsultacje.gdansk.pl", "gdansk.ratusz.example")
        fake_dns.txt("_ratusz-challenge.gdansk.pl", "ratusz-verification=...")
"""

from __future__ import annotations

import socket
import threading
from collections import defaultdict
from collections.abc import Iterator

import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import pytest


def _key(name: str) -> str:
    return name.rstrip(".").lower()


class FakeDns:
    def __init__(self) -> None:
        self.records: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.questions: list[tuple[str, str]] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def address(self) -> str:
        host, port = self.sock.getsockname()[:2]
        return f"{host}:{port}"

    # --- the table -----------------------------------------------------------------------

    def a(self, name: str, *addresses: str) -> None:
        self.records[(_key(name), "A")].extend(addresses)

    def cname(self, name: str, target: str) -> None:
        self.records[(_key(name), "CNAME")] = [_key(target) + "."]

    def txt(self, name: str, *values: str) -> None:
        self.records[(_key(name), "TXT")].extend(f'"{value}"' for value in values)

    def forget(self, name: str) -> None:
        for key in [k for k in self.records if k[0] == _key(name)]:
            del self.records[key]

    # --- the server ----------------------------------------------------------------------

    def start(self) -> FakeDns:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.sock.close()
        self.thread.join(timeout=5)

    def _serve(self) -> None:
        while True:
            try:
                data, peer = self.sock.recvfrom(4096)
            except OSError:
                return  # closed
            try:
                query = dns.message.from_wire(data)
            except Exception:  # not DNS: ignore it, as a server would
                continue
            try:
                self.sock.sendto(self._answer(query).to_wire(), peer)
            except OSError:
                return

    def _answer(self, query: dns.message.Message) -> dns.message.Message:
        response = dns.message.make_response(query)
        question = query.question[0]
        name, kind = _key(question.name.to_text()), dns.rdatatype.to_text(question.rdtype)
        self.questions.append((name, kind))
        if not any(key[0] == name for key in self.records):
            response.set_rcode(dns.rcode.NXDOMAIN)
            return response
        # Follow CNAMEs as a recursive resolver does: the chain, then the records asked for.
        for _hop in range(8):
            target = self.records.get((name, "CNAME"))
            if target and kind != "CNAME":
                response.answer.append(self._rrset(name, "CNAME", target))
                name = _key(target[0])
                continue
            values = self.records.get((name, kind))
            if values:
                response.answer.append(self._rrset(name, kind, values))
            break
        return response

    @staticmethod
    def _rrset(name: str, kind: str, values: list[str]) -> dns.rrset.RRset:
        return dns.rrset.from_text_list(
            dns.name.from_text(name), 60, dns.rdataclass.IN, dns.rdatatype.from_text(kind), values
        )


@pytest.fixture
def fake_dns(settings) -> Iterator[FakeDns]:
    """The DNS Ratusz asks, for this test: empty until the test adds records."""
    server = FakeDns().start()
    settings.DNS_NAMESERVERS = [server.address]
    settings.DNS_TIMEOUT = 2.0
    try:
        yield server
    finally:
        server.stop()
