"""City A's people, fields and groups never show in city B."""

from __future__ import annotations

from ratusz.consultations.people import selectors, services
from ratusz.consultations.people.models import GroupKind
from ratusz.tenants.context import city_context
from tests.consultations.people.conftest import english, make_district


def _gdansk_data(city, resident):
    with city_context(city.ref):
        make_district()
        services.save_answers(user=resident, answers={"district": "oliwa"})
        return services.create_group(
            name="Oliwa",
            kind=GroupKind.RULE,
            rule_type="field_value",
            rule={"field": "district", "values": ["oliwa"]},
        )


def test_springfields_selectors_see_nothing_of_gdansk(city, other_city, resident):
    group = _gdansk_data(city, resident)
    with city_context(other_city.ref):
        assert selectors.field_distribution("district") == {}
        assert list(selectors.people(query="mieszkanka")) == []
        assert list(selectors.all_fields()) == []
        assert list(selectors.groups()) == []
        assert selectors.missing_required_fields(resident) == []
        assert services.recompute_all_groups() == 0
    with city_context(city.ref):
        assert selectors.group_member_ids(group) == {resident.pk}
        assert selectors.field_distribution("district")["oliwa"] == 1


def test_springfields_pages_show_nothing_of_gdansk(city, other_city, resident):
    group = _gdansk_data(city, resident)
    with city_context(other_city.ref):
        from ratusz.accounts.models import Role, User

        admin = User.objects.create_user(
            "boss@springfield.example",
            "correct horse battery",
            role=Role.ADMINISTRATOR,
            is_staff=True,
        )
    client = english(other_city, admin)
    html = client.get("/admin/people/?q=mieszkanka").content.decode()
    assert "Anna Nowak" not in html
    assert "Oliwa" not in client.get("/admin/groups/").content.decode()
    assert client.get(f"/admin/people/{resident.pk}/").status_code == 404
    assert client.get(f"/admin/groups/{group.pk}/").status_code == 404


def test_a_gdansk_session_does_not_open_springfields_back_office(city, other_city, city_admin):
    client = english(city, city_admin)
    assert client.get("/admin/people/").status_code == 200
    other = other_city.client()
    other.cookies = client.cookies
    response = other.get("/admin/people/")
    assert response.status_code == 302
