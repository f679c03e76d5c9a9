"""Every refusal of the product is one `ratusz.errors.Refused`, shown to a person one way."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django.utils import translation

from ratusz.billing.gateway import PlansNotSynced, StripeUnavailable
from ratusz.errors import Refused, refusal_message, refusal_text, refusal_to_form
from ratusz.onboarding.services import PartnerRefused
from ratusz.platform.services import ActionRefused
from ratusz.tenants.slugs import SlugRefused
from ratusz.tenants.uploads import UploadRefused

PRODUCT = Path(__file__).resolve().parent.parent / "ratusz"


def _refusal_classes() -> list[type[Refused]]:
    """Every class of the product whose name says it refuses, found in the source."""
    found = []
    for path in sorted(PRODUCT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        names = [
            node.name
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.ClassDef) and node.name.endswith("Refused")
        ]
        if names:
            module = ".".join(path.relative_to(PRODUCT.parent).with_suffix("").parts)
            found += [getattr(importlib.import_module(module), name) for name in names]
    return [cls for cls in found if cls is not Refused]


REFUSALS = _refusal_classes()


def test_the_source_has_the_refusals_we_know_of():
    # A guard for the scan itself: if it found nothing, the tests below would prove nothing.
    assert len(REFUSALS) >= 25
    assert ActionRefused in REFUSALS and SlugRefused in REFUSALS and UploadRefused in REFUSALS


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_refusal_is_one_refused_with_a_code_of_its_own(refusal):
    assert issubclass(refusal, Refused)
    assert "code" in vars(refusal), f"{refusal.__name__} keeps the base's code"
    assert refusal.code != Refused.code


def test_codes_name_one_kind_of_refusal_each():
    codes = [cls.code for cls in REFUSALS]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    assert repeated == [], f"codes used by more than one refusal: {repeated}"


def test_existing_handlers_still_catch_what_they_caught():
    # The new base is added, never swapped: `except ValueError` / `except PermissionError`
    # elsewhere keep catching the refusals they caught before.
    assert issubclass(ActionRefused, ValueError)
    assert issubclass(PartnerRefused, PermissionError)
    assert issubclass(UploadRefused, forms.ValidationError)
    refused = PartnerRefused("Only the partner's members may do this.")
    assert str(refused) == refused.message == "Only the partner's members may do this."
    assert refused.code == "partner_refused"


def test_a_refusal_carries_its_message_and_code():
    refused = ActionRefused("The city is already suspended.", code="already_suspended")
    assert (refused.message, refused.code, str(refused)) == (
        "The city is already suspended.",
        "already_suspended",
        "The city is already suspended.",
    )
    assert ActionRefused("x").code == "action_refused"  # a raise without a code: the class's
    slug = SlugRefused("a--b", "Use single hyphens.")
    assert (slug.message, slug.reason, slug.slug) == (
        "Use single hyphens.",
        "Use single hyphens.",
        "a--b",
    )


def test_a_refusal_without_words_still_says_something():
    with translation.override("en"):
        refused = Refused()
    # Translated when raised: a str, not a lazy text that would change language later.
    assert refused.message == "This cannot be done."
    assert type(refused.message) is str
    assert refused.code == "refused"


def test_refusals_that_build_their_own_message_keep_it():
    with translation.override("en"):
        assert "sync_plans" in PlansNotSynced("starter_monthly").message
        assert "not answering" in StripeUnavailable().message
    assert PlansNotSynced.code == "plans_not_synced"
    assert issubclass(PlansNotSynced, Refused)


class _Form(forms.Form):
    slug = forms.CharField()


def test_the_view_helper_puts_a_refusal_on_a_form_field_or_above_the_form():
    form = _Form({"slug": "gdansk"})
    assert form.is_valid()
    refusal_to_form(form, SlugRefused("gdansk", "The subdomain is taken."), field="slug")
    refusal_to_form(form, ActionRefused("Nothing was changed."))
    assert form.errors == {
        "slug": ["The subdomain is taken."],
        "__all__": ["Nothing was changed."],
    }


def test_an_upload_refusal_is_shown_with_its_placeholders_filled():
    refused = UploadRefused("“%(name)s” is not accepted.", code="svg", params={"name": "a.svg"})
    assert refused.code == "svg"
    assert refusal_text(refused) == "“a.svg” is not accepted."
    form = _Form({"slug": "x"})
    assert form.is_valid()
    refusal_to_form(form, refused, field="slug")
    assert form.errors["slug"] == ["“a.svg” is not accepted."]


def test_the_view_helper_turns_a_refusal_into_an_error_message():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]  # as the middleware
    refusal_message(request, StripeUnavailable())
    shown = [(m.level_tag, str(m)) for m in get_messages(request)]
    assert shown == [("error", str(StripeUnavailable().message))]
