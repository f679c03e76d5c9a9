"""A downgrade never deletes anything: what no longer fits the smaller plan becomes read-only.

Published projects beyond the plan's active projects stay readable but take no participation
and no edits (the oldest-published keep the places); staff beyond the seats keep their access
but nobody new joins; verified custom domains keep serving but no new one is added.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection as django_connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ratusz.accounts.extensions import InvitationRefused
from ratusz.accounts.models import Invitation, Role, User
from ratusz.accounts.services import accept_invitation, create_invitation
from ratusz.billing.plans import PLANS, apply_plan
from ratusz.consultations.core import read_only
from ratusz.consultations.core import services as project_services
from ratusz.consultations.core.models import Phase, Project, PublicationStatus
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import can_act
from ratusz.consultations.methods.events.models import Event
from ratusz.consultations.methods.events.services import EventDetails, create_event
from ratusz.consultations.methods.ideation.models import Idea
from ratusz.consultations.methods.ideation.services import NotAllowed, post_idea
from ratusz.consultations.methods.polls.models import Poll
from ratusz.consultations.methods.proposals.models import Proposal, ProposalStatus
from ratusz.consultations.methods.proposals.services import submit_proposal
from ratusz.consultations.methods.surveys.models import Survey, SurveyPage
from ratusz.consultations.methods.volunteering.models import Cause
from ratusz.consultations.methods.voting.models import VotingCode
from ratusz.consultations.people import selectors as people_selectors
from ratusz.consultations.people import services as people_services
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection
from ratusz.tenants.domains import add_custom_domain
from ratusz.tenants.entitlements import (
    FeatureNotAllowed,
    LimitReached,
    current_entitlements,
    set_entitlements,
)
from ratusz.tenants.models import Domain
from ratusz.tenants.routing import resolve_host
from tests.consultations.conftest import make_project

PASSWORD = "correct horse battery"
SLUGS = ["pierwszy", "drugi", "trzeci", "czwarty", "piaty"]  # in the order they are published


def english(city, user: User | None = None, host: str | None = None) -> Client:
    client = Client(HTTP_HOST=host or city.host)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        with city_context(city.ref):
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def change_plan(city, code: str, committed) -> None:
    """Apply a plan the way billing does; the commit makes every process forget the old one."""
    connection.set_schema_to_public()
    with committed():
        apply_plan(city=city.model, plan=PLANS[code])


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def five_projects(city, committed) -> dict[str, Project]:
    """Five published projects on the premium plan (no limit), then a downgrade to the starter
    plan (3 active projects)."""
    change_plan(city, "premium", committed)
    with city_context(city.ref):
        made = {slug: make_project(slug) for slug in SLUGS}
    change_plan(city, "starter", committed)
    return made


def ideation(city, project: Project) -> Phase:
    with city_context(city.ref):
        return Phase.objects.select_related("project").get(project=project, method="ideation")


# --- projects: residents -------------------------------------------------------------------------


def test_the_newest_projects_beyond_the_limit_become_read_only(city, five_projects):
    with city_context(city.ref):
        assert current_entitlements().limit("active_projects") == 3
        assert read_only.read_only_project_ids() == {
            five_projects["czwarty"].pk,
            five_projects["piaty"].pk,
        }
        # Nothing was unpublished or deleted by the downgrade.
        assert Project.objects.filter(status=PublicationStatus.PUBLISHED).count() == 5
        assert Phase.objects.count() == 10


def test_residents_read_a_read_only_project_but_cannot_act(city, five_projects, resident):
    frozen = ideation(city, five_projects["piaty"])
    open_phase = ideation(city, five_projects["pierwszy"])
    with city_context(city.ref):
        refused = can_act(resident, frozen, Action.POST)
        assert not refused.allowed and refused.code == "over_limit"
        assert "3 active projects" in refused.message
        assert "administrator can raise the limit" in refused.message
        assert can_act(resident, open_phase, Action.POST).allowed
        with pytest.raises(NotAllowed, match="read-only"):
            post_idea(author=resident, phase=frozen, title="Ławka", body="<p>Tu</p>")
        assert not Idea.objects.filter(phase=frozen).exists()
        post_idea(author=resident, phase=open_phase, title="Ławka", body="<p>Tu</p>")

    client = english(city, resident)
    page = client.get("/projects/piaty/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "A park on the Motława" in html  # still readable
    assert 'id="read-only-notice"' in html and "3 active projects" in html
    assert "Share your idea" not in html
    assert "read-only" not in client.get("/projects/pierwszy/").content.decode()
    form = client.post("/projects/piaty/ideas/new/", {"title": "Ławka", "body": "Tu"})
    assert form.status_code == 403 and "3 active projects" in form.content.decode()
    with city_context(city.ref):
        assert not Idea.objects.filter(phase=frozen).exists()


def test_staff_cannot_take_part_in_a_read_only_project_either(city, five_projects, city_admin):
    with city_context(city.ref):
        decision = can_act(city_admin, ideation(city, five_projects["czwarty"]), Action.POST)
    assert decision.code == "over_limit"


# --- projects: the builder -----------------------------------------------------------------------


def test_the_builder_refuses_edits_to_a_read_only_project(city, five_projects, city_admin):
    project = five_projects["piaty"]
    phase = ideation(city, project)
    with city_context(city.ref):
        information = Phase.objects.get(project=project, method="information")
    client = english(city, city_admin)

    page = client.get("/admin/projects/piaty/").content.decode()
    assert "Read-only" in page and "3 active projects" in page
    assert "choosing a bigger plan under Billing" in page

    edit = client.post(
        "/admin/projects/piaty/",
        {"title_pl": "Nowy tytuł", "title_en": "New title", "visibility": "everyone"},
    )
    assert edit.status_code == 400
    assert "This project is read-only" in edit.content.decode()
    assert 'role="alert"' in edit.content.decode()

    assert phase.ends_at is not None
    start = phase.ends_at + timedelta(days=1)
    added = client.post(
        "/admin/projects/piaty/phases/new/",
        {"title_pl": "Wyniki", "method": "information", "starts_at": local(start)},
    )
    assert added.status_code == 400 and "This project is read-only" in added.content.decode()

    moved = client.post(
        f"/admin/projects/piaty/phases/{phase.pk}/",
        {
            "title_pl": "Inny tytuł",
            "method": "ideation",
            "starts_at": local(phase.starts_at),
            "ends_at": local(phase.ends_at + timedelta(days=5)),
        },
    )
    assert moved.status_code == 400 and "This project is read-only" in moved.content.decode()

    settings_page = client.post(
        f"/admin/projects/piaty/phases/{phase.pk}/settings/",
        {
            "who_post": "everyone",
            "who_comment": "everyone",
            "who_react": "everyone",
            "reaction_mode": "likes",
            "field_images": "optional",
            "field_attachments": "optional",
            "field_location": "optional",
            "field_topics": "optional",
        },
    )
    assert settings_page.status_code == 400
    assert "This project is read-only" in settings_page.content.decode()

    deleted = client.post(f"/admin/projects/piaty/phases/{information.pk}/delete/", follow=True)
    assert deleted.status_code == 200
    assert "This project is read-only" in deleted.content.decode()

    # Nothing was saved, nothing was lost.
    with city_context(city.ref):
        project.refresh_from_db()
        assert project.title == {"pl": "Park nad Motławą", "en": "A park on the Motława"}
        assert project.status == PublicationStatus.PUBLISHED
        saved = Phase.objects.get(pk=phase.pk)
        assert saved.ends_at == phase.ends_at and saved.title == phase.title
        assert saved.permissions == {}  # the "closed to posting" settings were not saved
        assert Phase.objects.filter(project=project).count() == 2


def test_projects_within_the_limit_stay_editable(city, five_projects, city_admin):
    client = english(city, city_admin)
    page = client.get("/admin/projects/pierwszy/").content.decode()
    assert "This project is read-only" not in page
    response = client.post(
        "/admin/projects/pierwszy/",
        {"title_pl": "Nowy tytuł", "visibility": "everyone"},
    )
    assert response.status_code == 302
    with city_context(city.ref):
        assert Project.objects.get(slug="pierwszy").title == {"pl": "Nowy tytuł"}


def test_the_project_list_marks_read_only_projects(city, five_projects, city_admin):
    html = english(city, city_admin).get("/admin/projects/").content.decode()
    assert html.count('<span class="badge">Read-only</span>') == 2
    assert "Your plan allows 3 active projects" in html


def test_archiving_frees_a_place_for_the_next_project(city, five_projects, city_admin):
    client = english(city, city_admin)
    # Archiving a read-only project stays possible: it is how a city gets back under its limit.
    response = client.post("/admin/projects/piaty/archive/")
    assert response.status_code == 302
    with city_context(city.ref):
        assert Project.objects.get(slug="piaty").status == PublicationStatus.ARCHIVED
        assert read_only.read_only_project_ids() == {five_projects["czwarty"].pk}

    client.post("/admin/projects/pierwszy/archive/")
    with city_context(city.ref):
        assert read_only.read_only_project_ids() == set()
        assert can_act(
            User.objects.get(pk=city_admin.pk),
            ideation(city, five_projects["czwarty"]),
            Action.POST,
        ).allowed
    edited = client.post(
        "/admin/projects/czwarty/", {"title_pl": "Znowu otwarty", "visibility": "everyone"}
    )
    assert edited.status_code == 302
    with city_context(city.ref):
        # Nothing was deleted on the way: archived projects keep their phases.
        assert Project.objects.count() == 5
        assert Phase.objects.count() == 10
        assert Project.objects.get(slug="czwarty").title == {"pl": "Znowu otwarty"}


def test_returning_to_draft_also_frees_a_place(city, five_projects, city_admin):
    client = english(city, city_admin)
    assert client.post("/admin/projects/drugi/draft/").status_code == 302
    with city_context(city.ref):
        assert read_only.read_only_project_ids() == {five_projects["piaty"].pk}


def test_upgrading_again_makes_every_project_writable(city, five_projects, committed):
    change_plan(city, "standard", committed)
    with city_context(city.ref):
        assert read_only.read_only_project_ids() == frozenset()


def test_another_citys_projects_neither_count_nor_freeze(city, other_city, five_projects):
    connection.set_schema_to_public()
    set_entitlements(city=other_city.model, limits={"active_projects": 1})
    with city_context(other_city.ref):
        theirs = make_project("park-springfield")
        assert read_only.read_only_project_ids() == frozenset()  # one project, one place
        assert read_only.is_read_only(theirs) is False
    with city_context(city.ref):
        frozen = read_only.read_only_project_ids()
        assert set(Project.objects.filter(pk__in=frozen).values_list("slug", flat=True)) == {
            "czwarty",
            "piaty",
        }


# --- projects: the participation methods' staff pages --------------------------------------------

METHODS = ("proposals", "survey", "poll", "voting", "events", "volunteering")
EVENT_FORM = {
    "title_pl": "Warsztaty",
    "title_en": "Workshops",
    "starts_at": "2031-03-01T18:00",
    "ends_at": "2031-03-01T20:00",
    "place_pl": "Ratusz",
    "capacity": "20",
}


def make_methods_project(slug: str, author: User) -> Project:
    """A published project with one phase of each method (proposals open now, the others one
    after another), a proposal and an event to answer and to change."""
    project = project_services.create_project(slug=slug, title={"pl": "Metody", "en": "Methods"})
    start = timezone.now() - timedelta(days=1)
    for number, method in enumerate(METHODS):
        project_services.add_phase(
            project=project,
            method=method,
            starts_at=start + timedelta(days=6 * number),
            ends_at=start + timedelta(days=6 * number + 6),
            title={"pl": method, "en": method},
            options={"threshold": 2, "days": 30} if method == "proposals" else None,
        )
    project_services.publish_project(project=project)
    submit_proposal(
        author=author,
        phase=project.phases.get(method="proposals"),
        title="Ławki",
        body="<p>Więcej ławek</p>",
    )
    starts = timezone.now() + timedelta(days=20)
    create_event(
        details=EventDetails(
            title={"pl": "Spacer"},
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place={"pl": "Park"},
            capacity=10,
        ),
        phase=project.phases.get(method="events"),
    )
    return project


@pytest.fixture
def methods(city, committed, resident) -> dict[str, Project]:
    """On the premium plan: "otwarty" is published first (it keeps its place), then three
    more; after the downgrade to the starter plan (3 active projects) "zamrozony" is read-only."""
    change_plan(city, "premium", committed)
    with city_context(city.ref):
        made = {"writable": make_methods_project("otwarty", resident)}
        for slug in ("drugi", "trzeci"):
            make_project(slug)
        made["read_only"] = make_methods_project("zamrozony", resident)
    change_plan(city, "starter", committed)
    with city_context(city.ref):
        assert read_only.read_only_project_ids() == {made["read_only"].pk}
    return made


def method_phase(city, project: Project, method: str) -> Phase:
    with city_context(city.ref):
        return Phase.objects.get(project=project, method=method)


def assert_refused(response) -> None:
    html = response.content.decode()
    assert response.status_code == 403
    assert "This project is read-only" in html and "3 active projects" in html
    assert 'role="alert"' in html


def test_the_survey_editor_refuses_a_read_only_project(city, methods, city_admin):
    client = english(city, city_admin)
    frozen = method_phase(city, methods["read_only"], "survey")
    open_phase = method_phase(city, methods["writable"], "survey")
    assert client.get(f"/admin/surveys/{frozen.pk}/").status_code == 200  # still readable

    refused = client.post(f"/admin/surveys/{frozen.pk}/pages/add/", {"title_pl": "Strona"})
    assert_refused(refused)
    texts = client.post(f"/admin/surveys/{frozen.pk}/", {"intro_pl": "Witamy"})
    assert_refused(texts)
    added = client.post(f"/admin/surveys/{open_phase.pk}/pages/add/", {"title_pl": "Strona"})
    assert added.status_code == 302
    with city_context(city.ref):
        assert not SurveyPage.objects.filter(survey__phase=frozen, title__pl="Strona").exists()
        assert not Survey.objects.filter(phase=frozen, intro__pl="Witamy").exists()
        assert SurveyPage.objects.filter(survey__phase=open_phase, title__pl="Strona").exists()


def test_polls_refuse_a_read_only_project(city, methods, city_admin):
    client = english(city, city_admin)
    form = {"question_pl": "Czy?", "choices_pl": "Tak\nNie"}
    frozen = method_phase(city, methods["read_only"], "poll")
    open_phase = method_phase(city, methods["writable"], "poll")
    assert_refused(client.post(f"/admin/polls/{frozen.pk}/", form))
    assert client.post(f"/admin/polls/{open_phase.pk}/", form).status_code == 302
    with city_context(city.ref):
        assert not Poll.objects.filter(phase=frozen).exists()
        assert Poll.objects.filter(phase=open_phase).count() == 1


def test_voting_refuses_a_read_only_project(city, methods, city_admin):
    client = english(city, city_admin)
    frozen = method_phase(city, methods["read_only"], "voting")
    open_phase = method_phase(city, methods["writable"], "voting")
    assert client.get(f"/admin/voting/{frozen.pk}/").status_code == 200
    assert_refused(client.post(f"/admin/voting/{frozen.pk}/codes/", {"count": "5"}))
    assert_refused(client.post(f"/admin/voting/{frozen.pk}/import/"))
    printed = client.post(f"/admin/voting/{open_phase.pk}/codes/", {"count": "5"})
    assert printed.status_code == 200
    with city_context(city.ref):
        assert not VotingCode.objects.filter(phase=frozen).exists()
        assert VotingCode.objects.filter(phase=open_phase).count() == 5


def test_events_refuse_a_read_only_project(city, methods, city_admin):
    client = english(city, city_admin)
    frozen = method_phase(city, methods["read_only"], "events")
    open_phase = method_phase(city, methods["writable"], "events")
    with city_context(city.ref):
        frozen_event = Event.objects.get(phase=frozen)
        open_event = Event.objects.get(phase=open_phase)

    assert_refused(client.post("/admin/events/new/", {**EVENT_FORM, "phase": frozen.pk}))
    assert_refused(client.post(f"/admin/events/{frozen_event.pk}/", EVENT_FORM))
    assert client.get(f"/admin/events/{frozen_event.pk}/").status_code == 200
    created = client.post("/admin/events/new/", {**EVENT_FORM, "phase": open_phase.pk})
    assert created.status_code == 302
    assert client.post(f"/admin/events/{open_event.pk}/", EVENT_FORM).status_code == 302
    with city_context(city.ref):
        assert Event.objects.filter(phase=frozen).count() == 1
        assert Event.objects.get(pk=frozen_event.pk).title == {"pl": "Spacer"}
        assert Event.objects.filter(phase=open_phase).count() == 2
        assert Event.objects.get(pk=open_event.pk).title["pl"] == "Warsztaty"


def test_volunteering_refuses_a_read_only_project(city, methods, city_admin):
    client = english(city, city_admin)
    form = {"title_pl": "Sadzenie drzew", "needed": "5"}
    frozen = method_phase(city, methods["read_only"], "volunteering")
    open_phase = method_phase(city, methods["writable"], "volunteering")
    assert_refused(client.post(f"/admin/volunteering/phase/{frozen.pk}/", form))
    assert client.post(f"/admin/volunteering/phase/{open_phase.pk}/", form).status_code == 302
    with city_context(city.ref):
        assert not Cause.objects.filter(phase=frozen).exists()
        assert Cause.objects.filter(phase=open_phase).count() == 1


def test_proposal_answers_refuse_a_read_only_project(city, methods, city_admin):
    client = english(city, city_admin)
    answer = {"status": "accepted", "answer": "<p>Zrobimy to.</p>"}
    with city_context(city.ref):
        frozen = Proposal.objects.get(project=methods["read_only"])
        open_one = Proposal.objects.get(project=methods["writable"])
    assert client.get(f"/admin/proposals/{frozen.pk}/").status_code == 200
    assert_refused(client.post(f"/admin/proposals/{frozen.pk}/", answer))
    assert client.post(f"/admin/proposals/{open_one.pk}/", answer).status_code == 302
    with city_context(city.ref):
        assert Proposal.objects.get(pk=frozen.pk).status == frozen.status
        assert not frozen.status_changes.filter(answered_by=city_admin).exists()
        assert Proposal.objects.get(pk=open_one.pk).status == ProposalStatus.ACCEPTED


# --- the cost of the check -----------------------------------------------------------------------


def test_no_extra_query_when_the_plan_has_no_project_limit(
    city, committed, resident, django_assert_num_queries
):
    def warm() -> None:
        # As in any request after the first: the entitlements are cached and the connection
        # already points at the city's schema.
        current_entitlements()
        can_act(resident, phase, Action.POST)

    connection.set_schema_to_public()
    with committed():
        set_entitlements(city=city.model, limits={})  # a city without limits at all
    with city_context(city.ref):
        phase = ideation(city, make_project("park"))
        warm()
        with CaptureQueriesContext(django_connection) as without_limits:
            assert can_act(resident, phase, Action.POST).allowed
        with django_assert_num_queries(0):
            assert read_only.read_only_project_ids() == frozenset()
    assert len(without_limits) > 0

    change_plan(city, "premium", committed)  # a plan whose active projects are unlimited
    with city_context(city.ref):
        warm()
        with django_assert_num_queries(len(without_limits)):
            assert can_act(resident, phase, Action.POST).allowed

    change_plan(city, "starter", committed)  # a limit: one query more, no more
    with city_context(city.ref):
        warm()
        with django_assert_num_queries(len(without_limits) + 1):
            assert can_act(resident, phase, Action.POST).allowed


# --- staff seats ---------------------------------------------------------------------------------


def _accept_url(token: str) -> str:
    return f"https://gdansk-test.localhost/invitation/{token}/"


def _join_staff(admin: User, email: str) -> User:
    issued = people_services.invite_staff(
        admin=admin,
        email=email,
        role=Role.PROJECT_MANAGER,
        accept_url=_accept_url,
        city_name="Gdańsk",
    )
    return accept_invitation(token=issued.token, full_name=email, password=PASSWORD)


def test_staff_beyond_the_seats_keep_their_access_but_nobody_new_joins(
    city, city_admin, resident, committed
):
    change_plan(city, "premium", committed)
    with city_context(city.ref):
        staff = [city_admin, _join_staff(city_admin, "a@gdansk.example")]
        staff.append(_join_staff(city_admin, "b@gdansk.example"))
        assert people_selectors.staff_count() == 3
    connection.set_schema_to_public()
    with committed():
        set_entitlements(city=city.model, limits={**PLANS["starter"].limits, "staff_seats": 2})

    with city_context(city.ref):
        assert people_selectors.staff_count() == 3  # nobody lost their role
        with pytest.raises(LimitReached, match="allows 2 staff seats and 3 are in use"):
            people_services.invite_staff(
                admin=city_admin,
                email="c@gdansk.example",
                role=Role.PROJECT_MANAGER,
                accept_url=_accept_url,
                city_name="Gdańsk",
            )
        assert not Invitation.objects.filter(email="c@gdansk.example").exists()
    for member in staff:  # the back office stays open to all three
        assert english(city, member).get("/admin/projects/").status_code == 200

    client = english(city, city_admin)
    invited = client.post(
        "/admin/people/invite/", {"email": "c@gdansk.example", "role": "administrator"}
    )
    assert invited.status_code == 400
    assert "Your plan allows 2 staff seats and 3 are in use." in invited.content.decode()
    promoted = client.post(f"/admin/people/{resident.pk}/role/", {"role": "administrator"})
    assert promoted.status_code == 400
    assert "choosing a bigger plan under Billing" in promoted.content.decode()
    with city_context(city.ref):
        resident.refresh_from_db()
        assert resident.role == Role.RESIDENT
        assert people_selectors.staff_count() == 3
        # Taking someone off the staff is still possible (it frees a seat).
        people_services.change_role(admin=city_admin, user=staff[2], role=Role.RESIDENT)
        people_services.change_role(admin=city_admin, user=staff[1], role=Role.RESIDENT)
        people_services.change_role(admin=city_admin, user=resident, role=Role.PROJECT_MANAGER)
        assert people_selectors.staff_count() == 2


def _invite(admin: User, email: str) -> str:
    return people_services.invite_staff(
        admin=admin,
        email=email,
        role=Role.PROJECT_MANAGER,
        accept_url=_accept_url,
        city_name="Gdańsk",
    ).token


def _accept_form(name: str) -> dict[str, str]:
    return {"full_name": name, "password": PASSWORD, "password_again": PASSWORD}


def test_an_invitation_sent_before_the_downgrade_cannot_take_a_seat_after_it(
    city, city_admin, resident, committed
):
    change_plan(city, "premium", committed)
    with city_context(city.ref):
        late = _invite(city_admin, "spozniona@gdansk.example")
        promoted = _invite(city_admin, resident.email)  # an existing resident's account
        _join_staff(city_admin, "b@gdansk.example")
        assert people_selectors.staff_count() == 2
    connection.set_schema_to_public()
    with committed():
        set_entitlements(city=city.model, limits={**PLANS["starter"].limits, "staff_seats": 2})

    client = english(city)
    page = client.post(f"/invitation/{late}/", _accept_form("Spóźniona"))
    html = page.content.decode()
    assert page.status_code == 400
    assert "Your plan allows 2 staff seats and 2 are in use." in html
    assert "choosing a bigger plan under Billing" in html and 'role="alert"' in html
    assert 'value="Spóźniona"' in html  # what was typed is kept for a later try
    with city_context(city.ref):
        # Nothing was created, and the invitation stays open for when a seat is free.
        assert not User.objects.filter(email="spozniona@gdansk.example").exists()
        assert Invitation.objects.get(email="spozniona@gdansk.example").accepted_at is None
        with pytest.raises(InvitationRefused, match="2 staff seats"):
            accept_invitation(token=promoted, full_name="Anna", password=PASSWORD)
        resident.refresh_from_db()
        assert resident.role == Role.RESIDENT and not resident.is_staff
        assert people_selectors.staff_count() == 2
    assert "_auth_user_id" not in client.session  # nobody was signed in

    connection.set_schema_to_public()
    with committed():
        set_entitlements(city=city.model, limits={**PLANS["starter"].limits, "staff_seats": 3})
    accepted = client.post(f"/invitation/{late}/", _accept_form("Spóźniona"))
    assert accepted.status_code == 302
    with city_context(city.ref):
        joined = User.objects.get(email="spozniona@gdansk.example")
        assert joined.role == Role.PROJECT_MANAGER
        assert people_selectors.staff_count() == 3


def test_the_first_administrators_invitation_is_always_accepted(city, committed):
    """The invitation made when the city is provisioned: without an administrator nobody could
    choose a bigger plan, so the seats are not checked while the city has none."""
    with city_context(city.ref):
        User.objects.create_user(
            "kierowniczka@gdansk.example", PASSWORD, role=Role.PROJECT_MANAGER, is_staff=True
        )
        first = create_invitation(
            email="prezydent@gdansk.example", full_name="", role=Role.ADMINISTRATOR, valid_days=14
        )
    connection.set_schema_to_public()
    with committed():
        set_entitlements(city=city.model, limits={**PLANS["starter"].limits, "staff_seats": 1})

    response = english(city).post(f"/invitation/{first.token}/", _accept_form("Prezydent"))
    assert response.status_code == 302
    with city_context(city.ref):
        admin = User.objects.get(email="prezydent@gdansk.example")
        assert admin.role == Role.ADMINISTRATOR and admin.is_staff
        assert people_selectors.staff_count() == 2  # over the limit, but the city has its admin
        # A second administrator's invitation is a seat like any other.
        second = create_invitation(
            email="zastepca@gdansk.example", full_name="", role=Role.ADMINISTRATOR, valid_days=14
        )
        with pytest.raises(InvitationRefused, match="allows 1 staff seat and 2 are in use"):
            accept_invitation(token=second.token, full_name="Zastępca", password=PASSWORD)
        assert not User.objects.filter(email="zastepca@gdansk.example").exists()


# --- custom domains ------------------------------------------------------------------------------


def test_a_verified_domain_keeps_serving_after_the_feature_is_gone(city, committed):
    change_plan(city, "standard", committed)
    with committed():
        kept = add_custom_domain(city_id=city.ref.id, domain="konsultacje.gdansk.pl")
    Domain.objects.filter(pk=kept.pk).update(verified_at=timezone.now())
    change_plan(city, "starter", committed)  # no custom domain in this plan

    assert Domain.objects.filter(pk=kept.pk, verified_at__isnull=False).exists()
    assert resolve_host("konsultacje.gdansk.pl").kind == "city"
    home = english(city, host="konsultacje.gdansk.pl").get("/")
    assert home.status_code == 200
    with pytest.raises(FeatureNotAllowed, match="Custom domain is not part of your plan"):
        add_custom_domain(city_id=city.ref.id, domain="rada.gdansk.pl")
    assert not Domain.objects.filter(domain="rada.gdansk.pl").exists()


def test_adding_a_domain_on_the_smaller_plan_explains_itself(city, city_admin, committed):
    change_plan(city, "starter", committed)
    client = english(city, city_admin)
    response = client.post("/admin/site/domain/", {"domain": "rada.gdansk.pl"})
    assert response.status_code == 400
    assert "Custom domain is not part of your plan" in response.content.decode()
    assert not Domain.objects.filter(domain="rada.gdansk.pl").exists()
