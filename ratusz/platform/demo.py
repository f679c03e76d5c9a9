"""Demo cities for development and demonstrations, built through the services production uses.

`seed_demo_cities()` provisions each city of `DEMO_CITIES` that does not exist yet (through
`provision_city`) and fills it with sample content, all in one transaction per city. A city
that already exists is left alone.

Sample content is data, not gettext: each text is written once per city language, as a city's
staff would write it.

Adding content later:
  1. describe it as data on `DemoCity` (a new field with a default, e.g. `projects`);
  2. write a step `add_<thing>(demo: DemoCity) -> None` that calls the city plane's services;
  3. append the step to `CONTENT_STEPS`.
Steps run in order, inside the new city's context and in the transaction that created it.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ratusz.accounts.models import User
from ratusz.accounts.services import InvitationInvalid, find_open_invitation
from ratusz.consultations.services import update_welcome
from ratusz.tenants.context import CityRef, city_context
from ratusz.tenants.links import city_url
from ratusz.tenants.models import City, CityStatus, Domain
from ratusz.tenants.services import provision_city

logger = logging.getLogger(__name__)


# --- What the demo cities are ------------------------------------------------------------------


@dataclass(frozen=True)
class DemoWelcome:
    """The portal's welcome title and text, one value per city language."""

    title: dict[str, str]
    text: dict[str, str]


@dataclass(frozen=True)
class DemoCity:
    name: str
    slug: str
    country: str
    default_language: str
    languages: tuple[str, ...]
    time_zone: str
    admin_email: str
    admin_name: str
    welcome: DemoWelcome
    status: str = CityStatus.ACTIVE
    # Later content (projects, phases, ideas...) gets its own field here, with a default, e.g.
    # projects: tuple[DemoProject, ...] = ()


GDANSK = DemoCity(
    name="Gdańsk",
    slug="gdansk",
    country="PL",
    default_language="pl",
    languages=("pl", "en"),
    time_zone="Europe/Warsaw",
    admin_email="admin@gdansk.example",
    admin_name="Katarzyna Nowak",
    welcome=DemoWelcome(
        title={
            "pl": "Gdańsk zmieniamy razem",
            "en": "Let's shape Gdańsk together",
        },
        text={
            "pl": (
                "Masz pomysł na lepszą okolicę? Zgłoś projekt do Budżetu Obywatelskiego, weź "
                "udział w konsultacjach i sprawdź, co miasto zrobiło z uwagami mieszkańców. "
                "Każdy głos się liczy – od Oliwy po Stogi."
            ),
            "en": (
                "Have an idea for a better neighbourhood? Submit a project to the Civic Budget, "
                "take part in consultations and see what the city did with residents' "
                "comments. Every voice counts, from Oliwa to Stogi."
            ),
        },
    ),
)

SPRINGFIELD = DemoCity(
    name="Springfield",
    slug="springfield",
    country="US",
    default_language="en",
    languages=("en",),
    time_zone="America/Chicago",
    admin_email="admin@springfield.example",
    admin_name="Jordan Miller",
    welcome=DemoWelcome(
        title={"en": "Help shape Springfield's future"},
        text={
            "en": (
                "From safer crossings on Main Street to longer library hours, City Hall wants "
                "to hear from you. Share your ideas, comment on proposals and follow what "
                "happens to them, from first draft to council vote."
            ),
        },
    ),
)

DEMO_CITIES: tuple[DemoCity, ...] = (GDANSK, SPRINGFIELD)


# --- How their content is written ---------------------------------------------------------------

ContentStep = Callable[[DemoCity], None]


def add_welcome(demo: DemoCity) -> None:
    update_welcome(title=dict(demo.welcome.title), text=dict(demo.welcome.text))


CONTENT_STEPS: tuple[ContentStep, ...] = (add_welcome,)


# --- Seeding -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeededCity:
    name: str
    slug: str
    created: bool  # False: it existed already and was skipped
    portal_url: str
    admin_email: str
    # The administrator's invitation link while it is still open, else None.
    invitation_url: str | None
    # True once the administrator has accepted the invitation (an account exists).
    admin_has_account: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "slug": self.slug,
            "created": self.created,
            "portal_url": self.portal_url,
            "admin_email": self.admin_email,
            "invitation_url": self.invitation_url,
            "admin_has_account": self.admin_has_account,
        }


def seed_demo_cities(cities: tuple[DemoCity, ...] = DEMO_CITIES) -> list[SeededCity]:
    """Create the demo cities that do not exist yet; report on every one of them."""
    return [seed_demo_city(demo) for demo in cities]


def seed_demo_city(demo: DemoCity) -> SeededCity:
    existing = City.objects.filter(slug=demo.slug).first()
    if existing is not None:
        return _describe_existing(demo, existing)
    with transaction.atomic():
        made = provision_city(
            name=demo.name,
            slug=demo.slug,
            admin_email=demo.admin_email,
            admin_name=demo.admin_name,
            country=demo.country,
            default_language=demo.default_language,
            languages=list(demo.languages),
            time_zone=demo.time_zone,
            status=demo.status,
        )
        with city_context(made.ref):
            for step in CONTENT_STEPS:
                step(demo)
    _remember_token(demo.slug, made.invitation_url)
    logger.info("seeded demo city %s", demo.slug)
    return SeededCity(
        name=made.city.name,
        slug=demo.slug,
        created=True,
        portal_url=made.portal_url,
        admin_email=demo.admin_email,
        invitation_url=made.invitation_url,
        admin_has_account=False,
    )


def _describe_existing(demo: DemoCity, city: City) -> SeededCity:
    host = (
        Domain.objects.filter(tenant=city, is_primary=True).values_list("domain", flat=True).first()
        or f"{city.slug}.{settings.BASE_DOMAIN}"
    )
    token = _remembered_token(demo.slug)
    with city_context(CityRef.from_city(city, host)):
        has_account = User.objects.filter(email__iexact=demo.admin_email).exists()
        still_open = token is not None and not has_account and _is_open(token)
    return SeededCity(
        name=city.name,
        slug=city.slug,
        created=False,
        portal_url=city_url(host),
        admin_email=demo.admin_email,
        invitation_url=city_url(host, f"/invitation/{token}/") if still_open else None,
        admin_has_account=has_account,
    )


def _is_open(token: str) -> bool:
    try:
        find_open_invitation(token)
    except InvitationInvalid:
        return False
    return True


# Invitation tokens are shown once and only their hash is stored in the database. So that the
# development server can show a demo administrator's link again on its next start, the tokens
# of demo cities are kept in the local data folder (readable by this user only), per database.


def _tokens_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-invitations.json"


def _database_key(slug: str) -> str:
    db = settings.DATABASES["default"]
    return f"{db['HOST']}:{db['PORT']}/{db['NAME']}/{slug}"


def _read_tokens() -> dict[str, str]:
    try:
        data = json.loads(_tokens_file().read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _remembered_token(slug: str) -> str | None:
    return _read_tokens().get(_database_key(slug))


def _remember_token(slug: str, invitation_url: str) -> None:
    token = invitation_url.rstrip("/").rsplit("/", 1)[-1]
    tokens = {**_read_tokens(), _database_key(slug): token}
    path = _tokens_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            json.dump(tokens, out, indent=2, sort_keys=True)
    except OSError as exc:  # only a convenience: the link was printed already
        logger.warning("could not keep the demo invitation tokens in %s: %s", path, exc)
