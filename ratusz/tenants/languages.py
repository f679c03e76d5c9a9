"""The languages a city offers and its default: control-plane fields the city's
administrators change from their back office."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ratusz.errors import Refused
from ratusz.tenants.models import City
from ratusz.tenants.routing import forget_city


class LanguagesRefused(Refused, ValueError):
    """A choice of languages we cannot serve; the message says why, for a person."""

    code = "languages_refused"


def supported_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def set_city_languages(*, city_id: int, languages: Sequence[str], default_language: str) -> City:
    """Offer `languages` (in that order) with `default_language` first choice for visitors."""
    chosen = list(dict.fromkeys(code.strip().lower() for code in languages if code.strip()))
    if not chosen:
        raise LanguagesRefused(_("Choose at least one language."))
    unsupported = [code for code in chosen if code not in supported_languages()]
    if unsupported:
        raise LanguagesRefused(
            _("Ratusz does not offer these languages yet: %(codes)s.")
            % {"codes": ", ".join(unsupported)}
        )
    if default_language not in chosen:
        raise LanguagesRefused(
            _("The default language must be one of the languages the portal offers.")
        )
    # The default goes first: forms ask for its text as the one required value.
    chosen.remove(default_language)
    chosen.insert(0, default_language)
    with transaction.atomic():
        city = City.objects.select_for_update().get(pk=city_id)
        city.languages = chosen
        city.default_language = default_language
        city.save(update_fields=["languages", "default_language", "updated_at"])
        # Requests read the languages from the cached route of each of the city's hosts.
        transaction.on_commit(lambda: forget_city(city_id))
    return city
