"""Administrators set their city's account rules: two-factor for staff, the terms' versions."""

from ratusz.accounts.selectors import account_settings
from ratusz.tenants.context import city_context
from tests.consultations.test_pages import english


def test_an_administrator_requires_two_factor_and_publishes_new_terms(city, other_city, city_admin):
    client = english(city, city_admin)
    assert client.get("/accounts/city-rules/").status_code == 200
    with city_context(city.ref):
        before = account_settings().terms_version
    response = client.post(
        "/accounts/city-rules/",
        {
            "staff_two_factor_required": "on",
            "terms_url": "https://www.gdansk.pl/regulamin",
            "privacy_url": "",
            "publish": ["terms"],
        },
    )
    assert response.status_code == 302
    with city_context(city.ref):
        rules = account_settings()
        assert rules.staff_two_factor_required
        assert rules.terms_version == before + 1
        assert rules.terms_url == "https://www.gdansk.pl/regulamin"
    with city_context(other_city.ref):
        assert not account_settings().staff_two_factor_required


def test_residents_cannot_change_the_rules_and_bad_addresses_are_refused(
    city, resident, city_admin
):
    assert english(city, resident).get("/accounts/city-rules/").status_code == 403
    bad = english(city, city_admin).post("/accounts/city-rules/", {"terms_url": "not a url"})
    assert bad.status_code == 400
    assert "Enter a valid URL." in bad.content.decode()
