"""City subdomains: the rules, the reasons for refusing one, and suggestions from a name."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.utils.translation import gettext as _

from ratusz.errors import Refused

SLUG_MIN = 3
SLUG_MAX = 40
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")

RESERVED_SLUGS = frozenset(
    {
        "www", "admin", "api", "static", "media", "mail", "smtp", "imap", "pop", "ftp",
        "public", "app", "apps", "status", "help", "support", "docs", "blog", "billing",
        "dashboard", "console", "operator", "operators", "partner", "partners", "login",
        "signup", "auth", "account", "accounts", "assets", "cdn", "dev", "test", "staging",
        "demo-template", "template", "templates", "ratusz", "root", "system", "healthz",
        "readyz", "metrics", "information-schema", "information_schema", "postgres", "default",
    }
)  # fmt: skip

# Letters that NFKD decomposition does not reduce to ASCII.
_TRANSLITERATION = str.maketrans(
    {"ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D"}
)


class SlugRefused(Refused, ValueError):
    """A subdomain that cannot be used, with the reason in words a person understands."""

    code = "slug_refused"

    def __init__(self, slug: str, reason: str) -> None:
        super().__init__(reason)
        self.slug = slug
        self.reason = reason


def transliterate(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def suggest_slug(name: str) -> str:
    """`Łódź` -> `lodz`, `Gdańsk` -> `gdansk`, `Bielsko-Biała` -> `bielsko-biala`."""
    ascii_name = transliterate(name).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
    slug = slug[:SLUG_MAX].rstrip("-")
    if len(slug) < SLUG_MIN:
        slug = (slug + "-city").strip("-") if slug else "city"
    if slug in RESERVED_SLUGS:
        slug = f"{slug}-city"
    return slug


def schema_name_for(slug: str) -> str:
    """Schema names stay fixed for a city's life; hyphens become underscores."""
    return slug.replace("-", "_")


def check_slug_format(slug: str) -> None:
    """Raise SlugRefused unless `slug` is well formed and not reserved (uniqueness aside)."""
    if not slug:
        raise SlugRefused(slug, _("Choose a subdomain for the portal."))
    if len(slug) < SLUG_MIN:
        raise SlugRefused(
            slug, _("The subdomain is too short: use at least %(n)d characters.") % {"n": SLUG_MIN}
        )
    if len(slug) > SLUG_MAX:
        raise SlugRefused(
            slug, _("The subdomain is too long: use at most %(n)d characters.") % {"n": SLUG_MAX}
        )
    if slug != slug.lower():
        raise SlugRefused(slug, _("Use lowercase letters only."))
    if not SLUG_PATTERN.match(slug):
        if slug.startswith("-") or slug.endswith("-"):
            raise SlugRefused(slug, _("The subdomain cannot start or end with a hyphen."))
        raise SlugRefused(
            slug,
            _(
                "Use only lowercase letters without accents (a-z), digits and hyphens, "
                "for example “%(example)s”."
            )
            % {"example": suggest_slug(slug)},
        )
    if "--" in slug:
        raise SlugRefused(slug, _("The subdomain cannot contain two hyphens in a row."))
    schema = schema_name_for(slug)
    if (
        slug in RESERVED_SLUGS
        or schema in {settings.PUBLIC_SCHEMA_NAME, settings.TEMPLATE_SCHEMA_NAME}
        or schema.startswith("pg_")
    ):
        raise SlugRefused(
            slug, _("“%(slug)s” is reserved by the platform; choose another.") % {"slug": slug}
        )
