"""The languages a city offers and its default, changed by its administrators."""

from __future__ import annotations

import pytest

from ratusz.tenants.languages import LanguagesRefused, set_city_languages
from ratusz.tenants.models import City
from ratusz.tenants.routing import resolve_host
from tests.consultations.test_pages import english


def test_the_service_validates_and_puts_the_default_first(city, committed):
    with pytest.raises(LanguagesRefused, match="must be one of the languages"):
        set_city_languages(city_id=city.ref.id, languages=["pl"], default_language="en")
    with pytest.raises(LanguagesRefused, match="does not offer these languages yet: xx"):
        set_city_languages(city_id=city.ref.id, languages=["pl", "xx"], default_language="pl")
    with pytest.raises(LanguagesRefused, match="at least one"):
        set_city_languages(city_id=city.ref.id, languages=[], default_language="pl")
    route = resolve_host(city.host)  # cached now
    assert route.city is not None and route.city.languages == ("pl", "en")
    with committed():
        set_city_languages(city_id=city.ref.id, languages=["pl", "en"], default_language="en")
    row = City.objects.get(pk=city.ref.id)
    assert row.languages == ["en", "pl"] and row.default_language == "en"
    # The routing cache was forgotten on commit: the next request sees the change.
    route = resolve_host(city.host)
    assert route.city is not None and route.city.default_language == "en"


def test_the_page_changes_languages_and_explains_refusals(city, other_city, city_admin, committed):
    client = english(city, city_admin)
    bad = client.post("/admin/site/languages/", {"languages": ["pl"], "default_language": "en"})
    assert bad.status_code == 400
    assert "The default language must be one of the languages the portal offers." in (
        bad.content.decode()
    )
    assert City.objects.get(pk=city.ref.id).languages == ["pl", "en"]  # unchanged
    with committed():
        ok = client.post("/admin/site/languages/", {"languages": ["pl"], "default_language": "pl"})
    assert ok.status_code == 302
    assert City.objects.get(pk=city.ref.id).languages == ["pl"]
    assert City.objects.get(pk=other_city.ref.id).languages == ["en"]  # the other city's own
    # One language: the switch disappears from the portal.
    assert 'id="language-select"' not in english(city).get("/").content.decode()
