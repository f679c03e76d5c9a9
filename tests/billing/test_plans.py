"""Plans in one place, applied to a city as entitlements; limits hold at their boundary and a
downgrade deletes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ratusz.billing.plans import PLANS, apply_plan, get_plan, plan_for_lookup_key
from ratusz.billing.taxids import parse_tax_id
from ratusz.consultations.core.models import Project
from ratusz.tenants.context import city_context
from ratusz.tenants.entitlements import (
    FEATURES,
    LIMITS,
    FeatureNotAllowed,
    LimitReached,
    check_feature,
    check_limit,
    entitlements_for,
)
from tests.consultations.conftest import make_project


def test_every_plan_has_prices_in_pln_and_eur_and_names_known_limits_and_features():
    assert list(PLANS) == ["starter", "standard", "premium"]
    for plan in PLANS.values():
        assert set(plan.prices) == {
            ("month", "PLN"),
            ("month", "EUR"),
            ("year", "PLN"),
            ("year", "EUR"),
        }
        assert all(amount > 0 for amount in plan.prices.values())
        assert set(plan.limits) == set(LIMITS)
        assert plan.features <= set(FEATURES)
    assert PLANS["starter"].price(interval="month", currency="PLN") == 49_000
    assert PLANS["starter"].price(interval="year", currency="PLN") == 490_000


def test_custom_domain_only_from_standard():
    assert "custom_domain" not in PLANS["starter"].features
    assert "custom_domain" in PLANS["standard"].features
    assert "custom_domain" in PLANS["premium"].features


def test_lookup_keys_find_their_plan():
    standard = get_plan("standard")
    key = standard.lookup_key(interval="year", currency="EUR")
    assert key == "ratusz_standard_year_eur"
    assert plan_for_lookup_key(key) is standard
    assert plan_for_lookup_key("someone_elses_price") is None
    assert plan_for_lookup_key(None) is None


def test_applying_a_plan_writes_the_entitlements_the_city_reads(city):
    apply_plan(city=city.model, plan=PLANS["starter"])
    seen = entitlements_for(city.model.pk)
    assert seen.plan == "starter"
    assert seen.limit("active_projects") == 3
    assert not seen.allows("custom_domain")
    assert seen.allows("surveys")
    # Every feature is named explicitly (a missing one would count as allowed).
    assert set(city.model.features) == set(FEATURES)


def test_limits_hold_at_their_boundary(city):
    apply_plan(city=city.model, plan=PLANS["starter"])
    with city_context(city.ref):
        check_limit("active_projects", used=2)  # the third is allowed
        with pytest.raises(LimitReached) as refused:
            check_limit("active_projects", used=3)  # the fourth is not
        assert "3" in refused.value.message
        check_limit("staff_seats", used=0, adding=3)
        with pytest.raises(LimitReached):
            check_limit("staff_seats", used=0, adding=4)
        with pytest.raises(FeatureNotAllowed):
            check_feature("custom_domain")


def test_premium_has_no_project_limit(city):
    apply_plan(city=city.model, plan=PLANS["premium"])
    with city_context(city.ref):
        check_limit("active_projects", used=10_000)
        check_feature("insight")


def test_a_downgrade_leaves_everything_made_and_refuses_only_new_items(city, committed):
    apply_plan(city=city.model, plan=PLANS["premium"])
    with city_context(city.ref):
        for number in range(5):
            make_project(f"project-{number}")
        check_limit("active_projects", used=5)  # premium: fine (and now cached)
    with committed():  # the cached entitlements are forgotten when the change commits
        apply_plan(city=city.model, plan=PLANS["starter"])
    with city_context(city.ref):
        assert Project.objects.filter(slug__startswith="project-").count() == 5
        with pytest.raises(LimitReached):
            check_limit("active_projects", used=5)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("5830001190", "PL5830001190"),
        ("583-000-11-90", "PL5830001190"),
        ("PL 583 000 11 90", "PL5830001190"),
        ("DE123456789", "DE123456789"),
        ("fr12345678901", "FR12345678901"),
        ("NL123456789B01", "NL123456789B01"),
    ],
)
def test_tax_ids_are_normalised(raw, value):
    assert parse_tax_id(raw).value == value
    assert parse_tax_id(raw).kind == "eu_vat"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("5830001191", "nip_checksum"),
        ("58300011", "nip_format"),
        ("PL58300011900", "nip_format"),
        ("DE12345", "vat_format"),
        ("US123456789", "vat_country"),
        ("", "required"),
    ],
)
def test_bad_tax_ids_say_what_is_wrong(raw, code):
    with pytest.raises(ValidationError) as refused:
        parse_tax_id(raw)
    assert refused.value.code == code
    assert refused.value.messages[0]
