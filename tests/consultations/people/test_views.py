"""People pages: administrators only (a resident gets 403, a project manager too), search and
filters, a person's page with blocks and roles, invitations, fields, groups, and "complete your
profile"; bad input shows clear errors and loses nothing."""

from __future__ import annotations

import re

import pytest

from ratusz.accounts.models import Invitation, Role, User
from ratusz.consultations.core.models import ResidentGroup
from ratusz.consultations.methods.ideation.services import post_idea
from ratusz.consultations.participation.moderation.models import Block
from ratusz.consultations.people import selectors, services
from ratusz.consultations.people.models import GroupKind, GroupSettings, RegistrationField
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection
from ratusz.tenants.entitlements import set_entitlements
from tests.consultations.people.conftest import PASSWORD, english, make_district

ADMIN_PAGES = [
    "/admin/people/",
    "/admin/people/invite/",
    "/admin/people/fields/",
    "/admin/people/fields/new/",
    "/admin/groups/",
    "/admin/groups/new/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_residents_get_403_and_visitors_sign_in(city, resident, url):
    assert english(city, resident).get(url).status_code == 403
    response = english(city).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_project_managers_get_403(city, manager, url):
    assert english(city, manager).get(url).status_code == 403


def test_a_project_manager_cannot_block_or_change_roles(city, manager, resident):
    client = english(city, manager)
    assert (
        client.post(
            f"/admin/people/{resident.pk}/block/", {"duration": "7", "reason": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(f"/admin/people/{resident.pk}/role/", {"role": "administrator"}).status_code
        == 403
    )
    with city_context(city.ref):
        resident.refresh_from_db()
        assert resident.role == Role.RESIDENT
        assert not Block.objects.exists()


def test_the_list_searches_filters_and_pages(city, city_admin, resident, neighbour):
    client = english(city, city_admin)
    html = client.get("/admin/people/").content.decode()
    assert "<caption" in html and '<th scope="col">' in html
    assert "Anna Nowak" in html and "Ola Sąsiad" in html
    html = client.get("/admin/people/?q=sasiad@").content.decode()
    assert "Ola Sąsiad" in html and "Anna Nowak" not in html
    html = client.get("/admin/people/?role=administrator").content.decode()
    assert "Jan Kowalski" in html and "Anna Nowak" not in html
    with city_context(city.ref):
        for number in range(30):
            User.objects.create_user(f"person{number}@example.com", PASSWORD)
    page_one = client.get("/admin/people/?role=resident").content.decode()
    assert "32 people found." in page_one
    assert "Page 1 of 2" in page_one
    assert "role=resident&amp;page=2" in page_one
    page_two = client.get("/admin/people/?role=resident&page=2").content.decode()
    assert "Page 2 of 2" in page_two


def test_filter_by_blocked_group_and_joined_date(city, city_admin, resident, neighbour):
    with city_context(city.ref):
        from ratusz.consultations.participation.moderation.services import block_resident

        block_resident(admin=city_admin, resident=neighbour, reason="Spam")
        group = services.create_group(name="Rada")
        services.add_members(group=group, emails=[resident.email])
    client = english(city, city_admin)
    html = client.get("/admin/people/?blocked=yes").content.decode()
    assert "Ola Sąsiad" in html and "Anna Nowak" not in html
    html = client.get(f"/admin/people/?group={group.pk}").content.decode()
    assert "Anna Nowak" in html and "Ola Sąsiad" not in html
    html = client.get("/admin/people/?joined_from=2000-01-01&joined_to=2000-12-31").content.decode()
    assert "Nobody matches these filters." in html


def test_a_bad_date_range_says_so(city, city_admin):
    response = english(city, city_admin).get(
        "/admin/people/?joined_from=2024-05-01&joined_to=2024-01-01"
    )
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()


def test_a_persons_page_shows_their_activity_and_answers(
    city, city_admin, resident, ideation_phase
):
    make_district()
    services.save_answers(user=resident, answers={"district": "oliwa"})
    post_idea(author=resident, phase=ideation_phase, title="Ławki w parku", body="<p>Ławki</p>")
    connection.set_schema_to_public()
    html = english(city, city_admin).get(f"/admin/people/{resident.pk}/").content.decode()
    assert "Ławki w parku" in html
    assert "District" in html and "Oliwa" in html
    assert '<label for="id_reason">' in html


def test_block_and_unblock_through_the_moderation_services(city, city_admin, resident):
    client = english(city, city_admin)
    empty = client.post(f"/admin/people/{resident.pk}/block/", {"duration": "7", "reason": ""})
    assert empty.status_code == 400
    assert "Give a reason; the resident will see it." in empty.content.decode()
    response = client.post(
        f"/admin/people/{resident.pk}/block/", {"duration": "7", "reason": "Spam"}
    )
    assert response.status_code == 302
    with city_context(city.ref):
        block = Block.objects.get(user=resident)
        assert block.blocked_by_id == city_admin.pk
        from ratusz.consultations.participation.moderation.models import ModerationAction

        assert ModerationAction.objects.filter(kind="block", target_user=resident).exists()
    again = client.post(f"/admin/people/{resident.pk}/block/", {"duration": "7", "reason": "Spam"})
    assert "already blocked" in again.content.decode()
    assert client.post(f"/admin/people/{resident.pk}/unblock/").status_code == 302
    with city_context(city.ref):
        block.refresh_from_db()
        assert block.lifted_at is not None


def test_change_a_role_and_the_projects_of_a_manager(city, city_admin, resident, project):
    client = english(city, city_admin)
    missing = client.post(f"/admin/people/{resident.pk}/role/", {"role": "project_manager"})
    assert missing.status_code == 400
    assert "Choose at least one project for a project manager." in missing.content.decode()
    response = client.post(
        f"/admin/people/{resident.pk}/role/", {"role": "project_manager", "projects": [project.pk]}
    )
    assert response.status_code == 302
    with city_context(city.ref):
        resident.refresh_from_db()
        assert resident.role == Role.PROJECT_MANAGER
        assert list(resident.managed_projects.all()) == [project]


def test_a_role_change_past_the_staff_seats_shows_the_plans_message(city, city_admin, resident):
    connection.set_schema_to_public()
    set_entitlements(city=city.model, limits={"staff_seats": 1})
    response = english(city, city_admin).post(
        f"/admin/people/{resident.pk}/role/", {"role": "administrator"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your plan allows 1 staff seat and 1 are in use." in html
    with city_context(city.ref):
        resident.refresh_from_db()
        assert resident.role == Role.RESIDENT


def test_invite_staff_sends_an_invitation_link_to_the_citys_host(
    city, city_admin, project, mailoutbox, committed, eager_tasks
):
    client = english(city, city_admin)
    with committed():
        response = client.post(
            "/admin/people/invite/",
            {"email": "nowy@gdansk.example", "role": "project_manager", "projects": [project.pk]},
        )
    assert response.status_code == 302
    [message] = mailoutbox
    match = re.search(r"https?://([^/\s]+)/invitation/([^/\s]+)/", message.body)
    assert match is not None and match.group(1) == city.host
    with city_context(city.ref):
        invitation = Invitation.objects.get(email="nowy@gdansk.example")
        assert invitation.role == Role.PROJECT_MANAGER
    assert "nowy@gdansk.example" in client.get("/admin/people/").content.decode()


def test_an_invitation_past_the_staff_seats_is_refused_on_the_page(city, city_admin):
    connection.set_schema_to_public()
    set_entitlements(city=city.model, limits={"staff_seats": 1})
    response = english(city, city_admin).post(
        "/admin/people/invite/", {"email": "nowy@gdansk.example", "role": "administrator"}
    )
    assert response.status_code == 400
    assert "Your plan allows 1 staff seat" in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    with city_context(city.ref):
        assert not Invitation.objects.filter(email="nowy@gdansk.example").exists()


def test_add_and_edit_a_registration_field(city, city_admin):
    client = english(city, city_admin)
    bad = client.post(
        "/admin/people/fields/new/",
        {
            "key": "Dzielnica!",
            "label_pl": "",
            "kind": "choice",
            "asked_at": "signup",
            "position": "0",
            "options": "oliwa | Oliwa | Oliwa | 130",
        },
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Use lower-case letters, digits and underscores" in html
    assert "Give the field a label." in html
    assert "the share must be a number from 0 to 100" in html
    response = client.post(
        "/admin/people/fields/new/",
        {
            "key": "district",
            "label_pl": "Dzielnica",
            "label_en": "District",
            "kind": "choice",
            "required": "on",
            "asked_at": "signup",
            "position": "0",
            "active": "on",
            "options": "oliwa | Oliwa | Oliwa | 30\nwrzeszcz | Wrzeszcz | Wrzeszcz | 45,5%",
        },
    )
    assert response.status_code == 302, response.content.decode()
    with city_context(city.ref):
        field = RegistrationField.objects.get(key="district")
        assert field.label == {"pl": "Dzielnica", "en": "District"}
        assert selectors.reference_shares("district") == {"oliwa": 30.0, "wrzeszcz": 45.5}
    edit = client.get(f"/admin/people/fields/{field.pk}/").content.decode()
    assert "wrzeszcz | Wrzeszcz | Wrzeszcz | 45.5" in edit
    response = client.post(
        f"/admin/people/fields/{field.pk}/",
        {
            "key": "changed",
            "label_pl": "Dzielnica",
            "asked_at": "first_action",
            "position": "1",
            "options": "oliwa | Oliwa\nzaspa | Zaspa",
        },
    )
    assert response.status_code == 302
    with city_context(city.ref):
        field.refresh_from_db()
        assert field.key == "district"  # the key stays
        assert (field.asked_at, field.active) == ("first_action", False)
        assert list(field.options.values_list("value", flat=True)) == ["oliwa", "zaspa"]


def test_deleting_a_field_warns_about_the_groups_that_use_it(city, city_admin, resident):
    with city_context(city.ref):
        field = make_district()
        group = services.create_group(
            name="Oliwa",
            kind=GroupKind.RULE,
            rule_type="field_value",
            rule={"field": "district", "values": ["oliwa"]},
        )
    client = english(city, city_admin)
    page = client.get(f"/admin/people/fields/{field.pk}/delete/").content.decode()
    assert "Warning: these groups choose their members by this field." in page
    assert "Oliwa" in page
    response = client.post(f"/admin/people/fields/{field.pk}/delete/", follow=True)
    html = response.content.decode()
    assert "The rule of the group “Oliwa” used this field" in html
    groups_page = client.get("/admin/groups/").content.decode()
    assert "no longer exists" in groups_page
    group_page = client.get(f"/admin/groups/{group.pk}/")
    assert group_page.status_code == 200
    assert "This group's rule does not work." in group_page.content.decode()


def test_create_a_rule_group_and_a_manual_group(city, city_admin, resident, neighbour):
    client = english(city, city_admin)
    bad = client.post(
        "/admin/groups/new/",
        {
            "name": "Urzędnicy",
            "kind": "rule",
            "rule_type": "email_domain",
            "domains": "not a domain",
        },
    )
    assert bad.status_code == 400
    assert "These are not domains: not a domain" in bad.content.decode()
    response = client.post(
        "/admin/groups/new/",
        {
            "name": "Urzędnicy",
            "kind": "rule",
            "rule_type": "email_domain",
            "domains": "gdansk.example",
        },
    )
    assert response.status_code == 302
    with city_context(city.ref):
        group = ResidentGroup.objects.get(name="Urzędnicy")
        assert selectors.group_member_ids(group) == {city_admin.pk}
        assert GroupSettings.objects.get(group=group).kind == GroupKind.RULE
    manual = client.post("/admin/groups/new/", {"name": "Rada", "kind": "manual"})
    assert manual.status_code == 302
    with city_context(city.ref):
        rada = ResidentGroup.objects.get(name="Rada")
    unknown = client.post(
        f"/admin/groups/{rada.pk}/members/", {"emails": f"{resident.email}, nobody@example.com"}
    )
    assert unknown.status_code == 400
    assert (
        "No account in this city uses: nobody@example.com. Nobody was added."
        in unknown.content.decode()
    )
    added = client.post(
        f"/admin/groups/{rada.pk}/members/", {"emails": f"{resident.email}\n{neighbour.email}"}
    )
    assert added.status_code == 302
    with city_context(city.ref):
        assert selectors.group_member_ids(rada) == {resident.pk, neighbour.pk}
    client.post(f"/admin/groups/{rada.pk}/members/{neighbour.pk}/remove/")
    with city_context(city.ref):
        assert selectors.group_member_ids(rada) == {resident.pk}
    assert client.post(f"/admin/groups/{rada.pk}/delete/").status_code == 302
    with city_context(city.ref):
        assert not ResidentGroup.objects.filter(name="Rada").exists()


def test_complete_your_profile_asks_the_missing_answers(city, resident):
    with city_context(city.ref):
        make_district()
    client = english(city, resident)
    page = client.get("/profile/complete/?next=/projects/park/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<label for="id_reg_district">District' in html
    bad = client.post("/profile/complete/", {"next": "/projects/park/"})
    assert bad.status_code == 400
    assert "This field is required." in bad.content.decode()
    response = client.post(
        "/profile/complete/", {"reg_district": "oliwa", "next": "/projects/park/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/projects/park/"
    with city_context(city.ref):
        assert selectors.missing_required_fields(resident) == []
    elsewhere = client.post(
        "/profile/complete/", {"reg_district": "oliwa", "next": "https://evil.example/"}
    )
    assert elsewhere["Location"] == "/"


def test_complete_your_profile_asks_visitors_to_sign_in(city):
    response = english(city).get("/profile/complete/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
