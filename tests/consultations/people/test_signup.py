"""Registration fields in the sign-up form: asked, validated, saved, and taken in by groups."""

from __future__ import annotations

import re

from ratusz.accounts.models import User
from ratusz.consultations.people import selectors, services
from ratusz.consultations.people.models import GroupKind
from ratusz.tenants.context import city_context
from tests.accounts.conftest import signup_data
from tests.consultations.people.conftest import make_birth_year, make_district


def test_the_signup_form_asks_the_signup_fields_only(city):
    with city_context(city.ref):
        make_district()
        make_birth_year()  # asked before a first action, not at sign-up
    html = city.client().get("/accounts/signup/").content.decode()
    assert '<label for="id_reg_district">Dzielnica' in html
    assert "id_reg_birth_year" not in html
    assert html.index("id_reg_district") < html.index("id_accept_policies")
    assert re.search(r'<select[^>]*name="reg_district"', html)


def test_a_missing_required_answer_is_refused_and_nothing_is_saved(city, committed):
    with city_context(city.ref):
        make_district()
    with committed():
        response = city.client().post("/accounts/signup/", signup_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert "To pole jest wymagane." in html
    assert 'value="ola@example.com"' in html  # what was typed stays
    with city_context(city.ref):
        assert not User.objects.filter(email="ola@example.com").exists()


def test_answers_are_saved_at_signup_and_groups_take_them_in(city, committed):
    with city_context(city.ref):
        make_district()
        group = services.create_group(
            name="Oliwa",
            kind=GroupKind.RULE,
            rule_type="field_value",
            rule={"field": "district", "values": ["oliwa"]},
        )
    with committed():
        response = city.client().post("/accounts/signup/", signup_data(reg_district="oliwa"))
    assert response["Location"] == "/accounts/confirm-email/"  # confirmation first
    with city_context(city.ref):
        user = User.objects.get(email="ola@example.com")
        assert selectors.answers_of(user) == {"district": "oliwa"}
        assert selectors.group_member_ids(group) == {user.pk}


HOSTILE = (
    '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>'
)


def test_registration_texts_written_by_staff_are_shown_as_text_on_the_signup_page(city):
    """The help text (and label) of every kind of field is plain text on the public sign-up
    page, also when the form comes back with errors: never markup that runs."""
    from ratusz.consultations.people.models import FieldKind
    from tests.security.markup import read

    with city_context(city.ref):
        for kind in FieldKind.values:
            options = [services.OptionSpec(value, {"pl": HOSTILE, "en": HOSTILE}) for value in "ab"]
            services.create_field(
                key=f"hostile_{kind}",
                label={"pl": HOSTILE, "en": HOSTILE},
                help_text={"pl": HOSTILE, "en": HOSTILE},
                kind=kind,
                options=options if kind == FieldKind.CHOICE else (),
            )
    client = city.client()
    for response in (client.get("/accounts/signup/"), client.post("/accounts/signup/", {})):
        assert response.status_code == 200
        html = response.content.decode()
        assert read(html).executable == []
        assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2 * len(FieldKind.values)
