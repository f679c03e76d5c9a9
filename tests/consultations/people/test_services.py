"""People services: registration fields and answers, groups by rule following their inputs,
roles and staff invitations within the plan's seats."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import pytest

from ratusz.accounts.models import Invitation, Role, User
from ratusz.accounts.personal_data import build_archive
from ratusz.accounts.selectors import profile_data
from ratusz.accounts.services import accept_invitation, delete_account
from ratusz.consultations.core.models import ResidentGroup
from ratusz.consultations.methods.ideation.services import Refused, post_idea, react
from ratusz.consultations.participation.moderation.services import block_resident
from ratusz.consultations.people import selectors, services, tasks
from ratusz.consultations.people.models import FieldAnswer, GroupKind, GroupSettings, RuleType
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection
from ratusz.tenants.entitlements import LimitReached, set_entitlements
from tests.consultations.conftest import make_project
from tests.consultations.people.conftest import PASSWORD, make_district


def person(email: str, **extra: object) -> User:
    return User.objects.create_user(email, PASSWORD, **extra)


# --- registration fields and answers -------------------------------------------------------------


def test_a_choice_field_keeps_its_options_and_the_citys_population_shares(district):
    assert list(district.options.values_list("value", "position")) == [
        ("oliwa", 0),
        ("wrzeszcz", 1),
        ("other", 2),
    ]
    assert selectors.reference_shares("district") == {"oliwa": 30.0, "wrzeszcz": 45.5}


def test_bad_fields_are_refused_and_nothing_is_saved(district):
    with pytest.raises(Refused, match="already uses this key"):
        make_district()
    with pytest.raises(Refused, match="at least two options"):
        make_district(key="gender", options=[])
    with pytest.raises(Refused, match="more than 100%"):
        make_district(
            key="area",
            options=[
                services.OptionSpec("a", {"en": "A"}, Decimal("60")),
                services.OptionSpec("b", {"en": "B"}, Decimal("50")),
            ],
        )
    assert list(selectors.all_fields().values_list("key", flat=True)) == ["district"]


def test_field_distribution_counts_each_answer_and_lists_options_nobody_chose(
    district, birth_year, resident
):
    services.save_answers(user=resident, answers={"district": "oliwa", "birth_year": 1980})
    services.save_answers(user=person("b@example.com"), answers={"district": "oliwa"})
    services.save_answers(user=person("c@example.com"), answers={"district": "wrzeszcz"})
    gone = person("d@example.com", is_active=False)
    services.save_answers(user=gone, answers={"district": "other"})
    assert selectors.field_distribution("district") == {"oliwa": 2, "wrzeszcz": 1, "other": 0}
    assert selectors.field_distribution("birth_year") == {"1980": 1}
    assert selectors.field_distribution("no_such_field") == {}


def test_an_empty_answer_removes_the_previous_one(district, resident):
    services.save_answers(user=resident, answers={"district": "oliwa"})
    services.save_answers(user=resident, answers={"district": ""})
    assert selectors.answers_of(resident) == {}


def test_missing_required_fields_lists_required_active_unanswered_ones(
    district, birth_year, resident
):
    assert [found.key for found in selectors.missing_required_fields(resident)] == ["district"]
    services.save_answers(user=resident, answers={"district": "oliwa"})
    assert selectors.missing_required_fields(resident) == []
    services.update_field(
        registration_field=birth_year,
        label=birth_year.label,
        required=True,
        asked_at=birth_year.asked_at,
        active=False,
        position=5,
    )
    assert selectors.missing_required_fields(resident) == []  # inactive: not asked


# --- groups by rule --------------------------------------------------------------------------------


def test_a_field_rule_group_follows_answers(district, resident):
    group = services.create_group(
        name="Oliwa",
        kind=GroupKind.RULE,
        rule_type=RuleType.FIELD_VALUE,
        rule={"field": "district", "values": ["oliwa"]},
    )
    assert selectors.group_member_ids(group) == set()
    services.save_answers(user=resident, answers={"district": "oliwa"})
    assert selectors.group_member_ids(group) == {resident.pk}
    services.save_answers(user=resident, answers={"district": "wrzeszcz"})
    assert selectors.group_member_ids(group) == set()


def test_a_year_range_rule_compares_numbers(birth_year, resident):
    young = person("young@example.com")
    services.save_answers(user=resident, answers={"birth_year": 1960})
    services.save_answers(user=young, answers={"birth_year": 2001})
    group = services.create_group(
        name="Born 1990-2005",
        kind=GroupKind.RULE,
        rule_type=RuleType.FIELD_VALUE,
        rule={"field": "birth_year", "min": 1990, "max": 2005},
    )
    assert selectors.group_member_ids(group) == {young.pk}


def test_an_email_domain_group_and_a_role_group(in_city, resident, city_admin):
    clerk = person("clerk@gdansk.example")
    domain = services.create_group(
        name="City hall",
        kind=GroupKind.RULE,
        rule_type=RuleType.EMAIL_DOMAIN,
        rule={"domains": ["gdansk.example"]},
    )
    assert selectors.group_member_ids(domain) == {clerk.pk, city_admin.pk}
    staff = services.create_group(
        name="Staff",
        kind=GroupKind.RULE,
        rule_type=RuleType.ROLE,
        rule={"roles": [Role.ADMINISTRATOR, Role.PROJECT_MANAGER]},
    )
    assert selectors.group_member_ids(staff) == {city_admin.pk}
    services.change_role(admin=city_admin, user=resident, role=Role.ADMINISTRATOR)
    assert selectors.group_member_ids(staff) == {city_admin.pk, resident.pk}
    services.change_role(admin=city_admin, user=resident, role=Role.RESIDENT)
    assert selectors.group_member_ids(staff) == {city_admin.pk}


def test_taking_part_in_a_project_joins_its_participation_group(
    ideation_phase, resident, neighbour, committed
):
    project = ideation_phase.project
    group = services.create_group(
        name="Park people",
        kind=GroupKind.RULE,
        rule_type=RuleType.PARTICIPATION,
        rule={"project": project.pk},
    )
    with committed():
        idea = post_idea(author=resident, phase=ideation_phase, title="Ławki", body="<p>Ławki</p>")
    assert selectors.group_member_ids(group) == {resident.pk}
    with committed():
        react(user=neighbour, idea=idea, kind=1)
    assert selectors.group_member_ids(group) == {resident.pk, neighbour.pk}


def test_a_rule_on_a_deleted_field_warns_and_never_crashes(district, resident):
    services.save_answers(user=resident, answers={"district": "oliwa"})
    group = services.create_group(
        name="Oliwa",
        kind=GroupKind.RULE,
        rule_type=RuleType.FIELD_VALUE,
        rule={"field": "district", "values": ["oliwa"]},
    )
    affected = services.delete_field(registration_field=district)
    assert affected == [group]
    found = GroupSettings.objects.get(group=group)
    assert "“district”" in found.rule_error
    assert "no longer exists" in found.rule_error
    assert selectors.group_member_ids(group) == {resident.pk}  # kept as they were
    assert services.recompute_group(group=group).error == found.rule_error
    assert services.refresh_memberships(user=resident) == [found.rule_error]
    assert services.recompute_all_groups() == 1
    assert FieldAnswer.objects.count() == 0


def test_a_new_rule_naming_a_missing_field_is_refused(in_city):
    with pytest.raises(Refused, match="no longer exists"):
        services.create_group(
            name="Ghost",
            kind=GroupKind.RULE,
            rule_type=RuleType.FIELD_VALUE,
            rule={"field": "ghost", "values": ["x"]},
        )
    assert not ResidentGroup.objects.filter(name="Ghost").exists()


def test_members_of_a_rule_group_are_not_edited_by_hand(in_city, resident):
    group = services.create_group(
        name="Residents", kind=GroupKind.RULE, rule_type=RuleType.ROLE, rule={"roles": ["resident"]}
    )
    with pytest.raises(Refused, match="rule chooses the members"):
        services.add_members(group=group, emails=[resident.email])
    with pytest.raises(Refused, match="rule chooses the members"):
        services.remove_member(group=group, user=resident)


def test_manual_groups_add_members_by_address_all_or_nothing(in_city, resident, neighbour):
    group = services.create_group(name="Rada dzielnicy")
    assert services.add_members(group=group, emails=[resident.email, "nobody@example.com"]) == [
        "nobody@example.com"
    ]
    assert selectors.group_member_ids(group) == set()
    assert services.add_members(group=group, emails=[resident.email, neighbour.email]) == []
    assert selectors.group_member_ids(group) == {resident.pk, neighbour.pk}
    services.remove_member(group=group, user=neighbour)
    assert selectors.group_member_ids(group) == {resident.pk}


def test_the_periodic_task_recomputes_rule_groups_in_its_city(district, resident, eager_tasks):
    group = services.create_group(
        name="Oliwa",
        kind=GroupKind.RULE,
        rule_type=RuleType.FIELD_VALUE,
        rule={"field": "district", "values": ["oliwa"]},
    )
    # An answer written behind the services' back (an import): only the task notices it.
    FieldAnswer.objects.create(user=resident, field=district, value="oliwa")
    assert selectors.group_member_ids(group) == set()
    assert tasks.recompute_rule_groups.delay().result == 1
    assert selectors.group_member_ids(group) == {resident.pk}


# --- roles and staff ---------------------------------------------------------------------------------


def test_a_project_manager_gets_the_chosen_projects(project, city_admin, resident):
    other = make_project("port")
    services.change_role(
        admin=city_admin, user=resident, role=Role.PROJECT_MANAGER, projects=[project]
    )
    resident.refresh_from_db()
    assert (resident.role, resident.is_staff) == (Role.PROJECT_MANAGER, True)
    assert list(resident.managed_projects.all()) == [project]
    assert other not in resident.managed_projects.all()
    services.change_role(admin=city_admin, user=resident, role=Role.RESIDENT)
    resident.refresh_from_db()
    assert (resident.role, resident.is_staff) == (Role.RESIDENT, False)
    assert not resident.managed_projects.exists()


def test_the_last_administrator_cannot_be_demoted(in_city, city_admin):
    with pytest.raises(Refused, match="only administrator"):
        services.change_role(admin=city_admin, user=city_admin, role=Role.RESIDENT)
    city_admin.refresh_from_db()
    assert city_admin.role == Role.ADMINISTRATOR
    second = person("second@gdansk.example", role=Role.ADMINISTRATOR, is_staff=True)
    services.change_role(admin=second, user=city_admin, role=Role.RESIDENT)
    city_admin.refresh_from_db()
    assert city_admin.role == Role.RESIDENT


def test_only_administrators_change_roles(in_city, resident, neighbour):
    with pytest.raises(Refused, match="Only the city's administrators"):
        services.change_role(admin=resident, user=neighbour, role=Role.ADMINISTRATOR)
    neighbour.refresh_from_db()
    assert neighbour.role == Role.RESIDENT


def test_a_blocked_resident_is_not_made_staff(in_city, city_admin, resident):
    block_resident(admin=city_admin, resident=resident, reason="Spam")
    with pytest.raises(Refused, match="lift the block"):
        services.change_role(admin=city_admin, user=resident, role=Role.ADMINISTRATOR)


def test_promoting_past_the_plans_staff_seats_is_refused(city, city_admin, resident):
    connection.set_schema_to_public()
    set_entitlements(city=city.model, limits={"staff_seats": 1})
    with city_context(city.ref):
        with pytest.raises(LimitReached) as refused:
            services.change_role(admin=city_admin, user=resident, role=Role.PROJECT_MANAGER)
        assert "allows 1 staff seat and 1 are in use" in refused.value.message
        assert "1" in refused.value.message
        resident.refresh_from_db()
        assert resident.role == Role.RESIDENT


def _accept_url(token: str) -> str:
    return f"https://gdansk-test.localhost/invitation/{token}/"


def test_an_invited_project_manager_gets_their_projects_on_accepting(
    project, city_admin, mailoutbox, committed, eager_tasks
):
    with committed():
        issued = services.invite_staff(
            admin=city_admin,
            email="Nowa@Gdansk.example",
            full_name="Nowa Koordynatorka",
            role=Role.PROJECT_MANAGER,
            projects=[project],
            accept_url=_accept_url,
            city_name="Gdańsk",
        )
    assert issued.invitation.email == "nowa@gdansk.example"
    [message] = mailoutbox
    assert message.to == ["nowa@gdansk.example"]
    assert _accept_url(issued.token) in message.body
    assert "park" in message.body
    user = accept_invitation(token=issued.token, full_name="Nowa", password=PASSWORD)
    assert user.role == Role.PROJECT_MANAGER
    assert list(user.managed_projects.all()) == [project]


def test_an_invitation_past_the_staff_seats_is_refused_with_the_plans_message(city, city_admin):
    connection.set_schema_to_public()
    set_entitlements(city=city.model, limits={"staff_seats": 1})
    with city_context(city.ref):
        with pytest.raises(LimitReached, match="allows 1 staff seat and 1 are in use"):
            services.invite_staff(
                admin=city_admin,
                email="x@example.com",
                role=Role.ADMINISTRATOR,
                accept_url=_accept_url,
                city_name="Gdańsk",
            )
        assert not Invitation.objects.filter(email="x@example.com").exists()


def test_inviting_a_staff_member_again_is_refused(in_city, city_admin):
    with pytest.raises(Refused, match="already on the staff"):
        services.invite_staff(
            admin=city_admin,
            email=city_admin.email,
            role=Role.ADMINISTRATOR,
            accept_url=_accept_url,
            city_name="Gdańsk",
        )


# --- personal data -----------------------------------------------------------------------------------


def test_answers_are_in_the_data_archive_and_go_with_the_account(district, resident):
    services.save_answers(user=resident, answers={"district": "oliwa"})
    group = services.create_group(name="Rada")
    services.add_members(group=group, emails=[resident.email])
    archive = build_archive(profile=profile_data(resident), user=resident)
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        answers = json.loads(opened.read("registration_answers.json"))
        groups = json.loads(opened.read("groups.json"))
    assert (answers[0]["field"], answers[0]["answer"]) == ("district", "oliwa")
    assert [group["group"] for group in groups] == ["Rada"]
    delete_account(user=resident)
    assert FieldAnswer.objects.count() == 0
    assert selectors.group_member_ids(group) == set()
