"""What counts as executable markup in a page we serve, for the content-security tests.

A page may run only scripts loaded from a file (`<script src>`) or carrying the response's
nonce, and JSON data blocks; no element may carry an event handler (`on...=`) and no link or
form may point at `javascript:`, `data:` or `vbscript:`. The checks read the page as a browser
would (html.parser decodes entities in attribute values)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
_HOSTILE_URL = re.compile(r"^(javascript|data|vbscript):", re.IGNORECASE)
_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")


@dataclass
class Findings:
    inline_scripts_without_nonce: list[str] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)
    hostile_urls: list[str] = field(default_factory=list)
    unnonced_styles: int = 0
    nonces: set[str] = field(default_factory=set)

    @property
    def executable(self) -> list[str]:
        return [*self.inline_scripts_without_nonce, *self.handlers, *self.hostile_urls]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings = Findings()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.findings.handlers.append(f"<{tag} {name}={value[:60]!r}>")
            if name in URL_ATTRIBUTES:
                seen = _IGNORED_IN_URLS.sub("", value).strip("".join(map(chr, range(0x21))))
                # data: images are fine (the QR code of the authenticator set-up).
                if _HOSTILE_URL.match(seen) and not (
                    tag == "img" and seen[:11].lower() == "data:image/"
                ):
                    self.findings.hostile_urls.append(f"<{tag} {name}={value[:60]!r}>")
        if tag == "script":
            kind = values.get("type", "").lower()
            if "nonce" in values:
                self.findings.nonces.add(values["nonce"])
            if "src" not in values and kind not in DATA_SCRIPT_TYPES and not values.get("nonce"):
                self.findings.inline_scripts_without_nonce.append("<script> without src or nonce")
        if tag == "style":
            if values.get("nonce"):
                self.findings.nonces.add(values["nonce"])
            else:
                self.findings.unnonced_styles += 1


def read(html: str) -> Findings:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.findings
