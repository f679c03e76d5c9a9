"""What the city writes itself into the notifications' e-mails and preferences, supplied by an
app above them: campaigns keeps the city's own wording of the automatic e-mails (welcome,
status changed, daily summary) and the residents' choice to receive its news, and registers
them here from its AppConfig.ready(). Notifications thus ask for them without importing it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from ratusz.accounts.models import User

# The automatic e-mails a city may word itself (campaigns' AutomaticEmail has the same values).
WELCOME = "welcome"
STATUS_CHANGED = "status_changed"
DAILY_DIGEST = "daily_digest"


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


class CityEmails(Protocol):
    def city_version(
        self,
        kind: str,
        *,
        language: str,
        default_language: str,
        values_html: Mapping[str, object],
        values_text: Mapping[str, object],
    ) -> Rendered | None:
        """The city's version of automatic e-mail `kind`, or None when it wrote none."""
        ...

    def built_in_version(self, kind: str, values: Mapping[str, object]) -> Rendered:
        """The built-in wording of `kind`, rendered with `values`."""
        ...

    def wants_city_news(self, user: User) -> bool:
        """Whether the person receives the city's news (campaigns)."""
        ...

    def set_city_news_wanted(self, *, user: User, wanted: bool) -> None:
        """The person's own choice on their e-mail preferences page."""
        ...


_provider: list[CityEmails] = []


def register_city_emails(provider: CityEmails) -> None:
    """Called once, from the AppConfig.ready() of the app that keeps the city's wording."""
    _provider[:] = [provider]


def city_emails() -> CityEmails:
    if not _provider:
        raise LookupError("no app registered the city's e-mails (campaigns is not installed)")
    return _provider[0]
