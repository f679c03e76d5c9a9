"""The demo cities the README's run command creates: living portals, each in its own schema.

Seeding commits as it goes (as a city's real activity does, so notifications run), so these
tests use committed data (`live_db`, `make_city`); the cities they make are purged afterwards.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import Client
from django.utils import timezone

from ratusz.accounts.models import Invitation, Role, User
from ratusz.accounts.selectors import has_verified_email, pending_policies
from ratusz.consultations.core.models import Folder, Project, PublicationStatus, Topic
from ratusz.consultations.core.rules import current_phase
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.events.models import Event, RegistrationStatus
from ratusz.consultations.methods.ideation.models import (
    Comment,
    Follow,
    Idea,
    Reaction,
    StatusChange,
)
from ratusz.consultations.methods.ideation.selectors import (
    answer_figures,
    idea_list,
    status_history,
)
from ratusz.consultations.methods.polls.models import Poll, PollVote
from ratusz.consultations.methods.proposals.models import Proposal
from ratusz.consultations.methods.surveys.models import Response, SkipRule, Survey
from ratusz.consultations.methods.volunteering.models import Cause, SignUp
from ratusz.consultations.methods.voting.models import Ballot, BallotStatus, Candidate
from ratusz.consultations.participation.notifications.models import (
    Notification,
    NotificationPreference,
)
from ratusz.demo import gdansk as demo_gdansk
from ratusz.demo import springfield as demo_springfield
from ratusz.demo.cities import (
    DEMO_CITIES,
    GDANSK,
    SPRINGFIELD,
    DemoCity,
    DemoContentError,
    remove_demo_cities,
    seed_demo_city,
    write_demo_content,
)
from ratusz.demo.content import DemoContent, DemoIdea, DemoPhase, DemoProject
from ratusz.tenants.context import CityRef, city_context
from ratusz.tenants.models import City, Domain

# Where each demo city's map pins must fall (a generous box around the city).
BOUNDS = {
    "gdansk": ((Decimal("54.27"), Decimal("54.45")), (Decimal("18.42"), Decimal("18.95"))),
    "springfield": ((Decimal("39.70"), Decimal("39.90")), (Decimal("-89.75"), Decimal("-89.55"))),
}


def _ideas(content: DemoContent) -> list[DemoIdea]:
    return [
        idea
        for project in (*content.projects, *content.participation)
        for phase in project.phases
        for idea in phase.ideas
    ]


def _phases(content: DemoContent) -> list[DemoPhase]:
    return [phase for project in content.participation for phase in project.phases]


def _ref(slug: str) -> CityRef:
    city = City.objects.get(slug=slug)
    host = Domain.objects.get(tenant=city, is_primary=True).domain
    return CityRef.from_city(city, host)


# --- The data itself ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "low", "high"), [(demo_gdansk.CONTENT, 25, 45), (demo_springfield.CONTENT, 15, 25)]
)
def test_each_demo_city_has_dozens_of_ideas_from_several_residents(content, low, high):
    ideas = _ideas(content)
    assert low <= len(ideas) <= high
    assert len({idea.author for idea in ideas}) >= 8
    assert len(content.projects) == 4
    people = {p.key for p in content.residents} | {content.manager.key}
    written_by = {idea.author for idea in ideas}
    for idea in ideas:
        for comment in idea.comments:
            written_by |= {comment.author} | {reply.author for reply in comment.replies}
        for answer in idea.answers:
            assert answer.status in {"under-consideration", "accepted", "implemented", "rejected"}
    assert written_by <= people
    emails = [p.email for p in content.residents] + [content.manager.email]
    assert len(set(emails)) == len(emails)


def test_gdansk_writes_projects_in_both_languages_and_springfield_in_english():
    gdansk, springfield = demo_gdansk.CONTENT, demo_springfield.CONTENT
    for project in (*gdansk.projects, *gdansk.participation):
        assert set(project.title) == set(project.description) == {"pl", "en"}
        for phase in project.phases:
            assert set(phase.title) == {"pl", "en"}
    for event in gdansk.events:
        assert set(event.title) == set(event.description) == set(event.place) == {"pl", "en"}
    for phase in _phases(gdansk):
        if phase.survey is not None:
            for page in phase.survey.pages:
                for question in page.questions:
                    assert set(question.text) == {"pl", "en"}
                    assert all(set(choice) == {"pl", "en"} for choice in question.choices)
        for poll in phase.polls:
            assert all(set(choice) == {"pl", "en"} for choice in poll.choices)
    for project in (*springfield.projects, *springfield.participation):
        assert set(project.title) == {"en"}
    for event in springfield.events:
        assert set(event.title) == set(event.place) == {"en"}
    for phase in _phases(springfield):
        assert all(set(cause.title) == {"en"} for cause in phase.causes)


def test_each_city_shows_the_other_participation_methods():
    """Gdańsk: a budget vote, a survey with a skip rule, a poll, proposals and events (one
    with more registrations than seats); Springfield: a survey, volunteering and an event."""
    cities = {"gdansk": demo_gdansk.CONTENT, "springfield": demo_springfield.CONTENT}
    methods = {slug: {phase.method for phase in _phases(c)} for slug, c in cities.items()}
    assert methods["gdansk"] >= {"ideation", "voting", "survey", "poll", "proposals"}
    assert methods["springfield"] >= {"survey", "volunteering"}
    for content in cities.values():
        surveys = [phase.survey for phase in _phases(content) if phase.survey is not None]
        assert any(page.skips for survey in surveys for page in survey.pages)
        assert content.events
    assert len(demo_gdansk.CONTENT.events) == 2
    assert any(
        e.capacity is not None and e.registrations > e.capacity for e in demo_gdansk.CONTENT.events
    )


# --- Seeding ---------------------------------------------------------------------------------------


def test_seed_demo_makes_two_living_portals_that_stay_apart(live_db, monkeypatch):
    queued = []
    monkeypatch.setattr(
        "ratusz.consultations.participation.notifications.services.enqueue_for_city",
        lambda *args, **kwargs: queued.append(args),
    )
    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    assert "Created demo city Gdańsk (gdansk)" in printed
    assert "Created demo city Springfield (springfield)" in printed
    assert "password ratusz-demo" in printed
    assert "tomasz.wisniewski@gdansk.example" in printed
    assert "dana.whitfield@springfield.example" in printed
    # Months of activity were not e-mailed to anyone while seeding.
    assert queued == []
    # An operator for the console, on the control plane only.
    assert "/console/" in printed and "operator@localhost" in printed
    operator = User.objects.get(email="operator@localhost")
    assert operator.role == "operator" and operator.check_password("ratusz-demo")

    _assert_living(GDANSK, demo_gdansk.CONTENT)
    _assert_living(SPRINGFIELD, demo_springfield.CONTENT)
    _assert_participation_in_gdansk()
    _assert_participation_in_springfield()
    _assert_apart()
    _assert_pages_show_the_content()

    # Idempotent: a second run creates nothing and still tells how to sign in.
    with city_context(_ref("gdansk")):
        ideas_before = Idea.objects.count()
    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert "Demo city Gdańsk (gdansk) exists already: skipped" in again.getvalue()
    assert User.objects.filter(email="operator@localhost").count() == 1
    assert "password ratusz-demo" in again.getvalue()
    assert City.objects.filter(slug__in=["gdansk", "springfield"]).count() == 2
    with city_context(_ref("gdansk")):
        assert Idea.objects.count() == ideas_before

    assert remove_demo_cities() == ["gdansk", "springfield"]
    assert not City.objects.filter(slug__in=["gdansk", "springfield"]).exists()


def _assert_living(demo: DemoCity, content: DemoContent) -> None:
    now = timezone.now()
    assert content.manager is not None
    with city_context(_ref(demo.slug)):
        # Accounts: staff and residents sign in with the demo password, confirmed, consented.
        admin = User.objects.get(email=demo.admin_email)
        assert admin.role == Role.ADMINISTRATOR
        assert Invitation.objects.get(email=demo.admin_email).accepted_by == admin
        manager = User.objects.get(email=content.manager.email)
        assert manager.role == Role.PROJECT_MANAGER
        residents = User.objects.filter(role=Role.RESIDENT)
        assert residents.count() == len(content.residents) + len(content.supporters)
        for user in (admin, manager, residents.get(email=content.residents[0].email)):
            assert user.check_password("ratusz-demo")
            assert has_verified_email(user)
            assert pending_policies(user) == []
        assert not NotificationPreference.objects.exists()  # back to the default (at once)

        # Projects in every state.
        assert Project.objects.count() == len(content.projects) + len(content.participation)
        projects = list(Project.objects.filter(slug__in=[p.slug for p in content.projects]))
        assert len(projects) == 4
        assert all(p.status == PublicationStatus.PUBLISHED for p in projects)
        assert all(p.published_at and p.published_at < now for p in projects)
        assert all(p.managers.filter(pk=manager.pk).exists() for p in projects)
        assert Topic.objects.count() == len(content.topics)
        states = {}
        for project in projects:
            phases = list(project.phases.all())
            running = current_phase(project)
            if running is not None and running.method == "ideation":
                states["open ideation"] = project
            elif all(p.method == "information" for p in phases):
                states["information only"] = project
            elif all(p.starts_at > now for p in phases):
                states["upcoming"] = project
            elif all(p.ends_at is not None and p.ends_at < now for p in phases):
                states["finished"] = project
        assert set(states) == {"open ideation", "information only", "upcoming", "finished"}
        assert "<h2>" in translated(states["information only"].description, demo.default_language)
        assert not Idea.objects.filter(project=states["upcoming"]).exists()
        assert Folder.objects.get().projects.count() == 1

        # Ideas: dozens, spread over weeks, many on the map inside the city, all published.
        ideas = Idea.objects.all()
        assert ideas.count() == len(_ideas(content))
        assert not ideas.exclude(visibility="visible").exists()
        assert ideas.filter(anonymous=True).count() == sum(i.anonymous for i in _ideas(content))
        assert Idea.objects.filter(project=states["open ideation"]).count() >= 9
        assert all(p.status == PublicationStatus.PUBLISHED for p in Project.objects.all())
        times = sorted(ideas.values_list("created_at", flat=True))
        assert times[-1] < now and times[-1] - times[0] > timedelta(days=60)
        located = list(ideas.filter(latitude__isnull=False))
        assert len(located) >= 10
        (south, north), (west, east) = BOUNDS[demo.slug]
        for idea in located:
            assert idea.latitude is not None and idea.longitude is not None
            assert south <= idea.latitude <= north and west <= idea.longitude <= east
        for idea in ideas.select_related("phase"):
            assert idea.phase.starts_at <= idea.created_at
            assert idea.phase.ends_at is None or idea.created_at < idea.phase.ends_at

        # Discussion: comments and one-level replies from several residents, likes, follows.
        comments = Comment.objects.select_related("idea")
        assert comments.count() >= 30
        assert comments.filter(parent__isnull=False).count() >= 5
        assert comments.order_by().values("author").distinct().count() >= 8
        assert comments.filter(author=manager).exists()
        assert all(c.idea.created_at < c.created_at < now for c in comments)
        for idea in ideas:
            assert idea.comment_count == idea.comments.count()
            assert idea.likes == idea.reactions.filter(kind=Reaction.Kind.LIKE).count()
            assert idea.dislikes == idea.reactions.filter(kind=Reaction.Kind.DISLIKE).count()
        assert Reaction.objects.count() >= 10 * ideas.count()
        assert Reaction.objects.filter(kind=Reaction.Kind.DISLIKE).exists()
        assert Follow.objects.exclude(user=F("idea__author")).exists()  # commenters follow

        # The feedback loop: official answers from the project manager, with their history.
        changes = StatusChange.objects.all()
        assert changes.count() >= 10
        assert set(changes.values_list("status__code", flat=True)) >= {
            "under-consideration",
            "accepted",
            "implemented",
            "rejected",
        }
        assert all(c.answered_by == manager and c.answer.startswith("<p>") for c in changes)
        assert all(c.idea.created_at < c.created_at < now for c in changes)
        twice = next(i for i in ideas if i.status_changes.count() >= 2)
        history = list(status_history(twice))
        assert history[0].created_at > history[1].created_at
        assert twice.status == history[0].status
        assert twice.first_answered_at == history[-1].created_at
        finished = answer_figures(states["finished"])
        assert finished.answered == finished.ideas > 0
        assert finished.median_time_to_answer is not None
        assert finished.median_time_to_answer > timedelta(days=5)

        # Notifications of that activity, dated with it; the older ones read.
        notifications = Notification.objects.all()
        assert notifications.exists()
        assert notifications.filter(created_at__lt=now - timedelta(days=30)).exists()
        assert notifications.filter(read_at__isnull=True).exists()
        assert notifications.filter(read_at__isnull=False).exists()
        assert not notifications.filter(emailed_at__isnull=False).exists()


def _assert_participation_in_gdansk() -> None:
    now = timezone.now()
    content = demo_gdansk.CONTENT
    with city_context(_ref("gdansk")):
        # The participatory budget: ideation ended with accepted ideas; the vote is open.
        project = Project.objects.get(slug="zielony-budzet-2026")
        ideation = project.phases.get(method="ideation")
        assert ideation.ends_at is not None and ideation.ends_at < now
        voting = current_phase(project)
        assert voting is not None and voting.method == "voting"
        assert voting.options["budget"] == 500_000
        candidates = Candidate.objects.filter(phase=voting).select_related("idea")
        assert candidates.count() == 5
        assert all(c.included and c.cost > 0 for c in candidates)
        assert all(c.idea.status.code == "accepted" for c in candidates)
        assert not candidates.filter(idea__title__startswith="Kurtyna").exists()  # rejected
        ballots = Ballot.objects.filter(phase=voting)
        assert ballots.count() == ballots.filter(status=BallotStatus.SUBMITTED).count() == 7
        for ballot in ballots:
            spent = sum(item.cost for item in ballot.items.all())
            assert 0 < spent <= 500_000
            assert ballot.submitted_at is not None
            assert voting.starts_at < ballot.submitted_at < now

        # The survey: open, with a skip rule that those who do not cycle took.
        survey = Survey.objects.get(phase__project__slug="ankieta-codzienne-podroze")
        assert current_phase(survey.phase.project) == survey.phase
        assert SkipRule.objects.filter(page__survey=survey).count() == 1
        responses = Response.objects.filter(survey=survey)
        assert responses.count() == responses.filter(submitted_at__lt=now).count() == 8
        assert sorted(len(r.path) for r in responses) == [2, 2, 2, 3, 3, 3, 3, 3]

        # The poll, the proposals and the city-wide events.
        poll = Poll.objects.get()
        assert current_phase(poll.phase.project) == poll.phase
        assert PollVote.objects.filter(poll=poll).count() == 32
        collecting = Proposal.objects.filter(status="collecting").order_by("created_at")
        assert [p.supporter_count for p in collecting] == [23, 8]
        assert all(p.supporter_count == p.supports.count() < p.threshold for p in collecting)
        assert all(p.created_at < s.created_at < now for p in collecting for s in p.supports.all())
        events = list(Event.objects.filter(project__isnull=True).order_by("starts_at"))
        assert len(events) == len(content.events) == 2
        assert all(e.starts_at > now and set(e.title) == {"pl", "en"} for e in events)
        walk = events[0]
        statuses = list(walk.registrations.values_list("status", flat=True))
        assert statuses.count(RegistrationStatus.REGISTERED) == walk.capacity == 12
        assert statuses.count(RegistrationStatus.WAITING) == 3
        assert not Cause.objects.exists()


def _assert_participation_in_springfield() -> None:
    now = timezone.now()
    with city_context(_ref("springfield")):
        survey = Survey.objects.get()
        assert current_phase(survey.phase.project) == survey.phase
        assert SkipRule.objects.filter(page__survey=survey).exists()
        assert Response.objects.filter(survey=survey, submitted_at__lt=now).count() == 7
        event = Event.objects.get()
        assert event.project is None and event.starts_at > now
        assert event.registrations.filter(status=RegistrationStatus.REGISTERED).count() == 12
        causes = {translated(c.title, "en"): c for c in Cause.objects.all()}
        assert set(causes) == {
            "Riverside Park clean-up crew",
            "Reading buddies at Lincoln Library",
        }
        assert SignUp.objects.filter(cause=causes["Riverside Park clean-up crew"]).count() == 6
        assert all(SignUp.objects.filter(cause=c).count() < c.needed for c in causes.values())
        # Gdańsk's methods stay in Gdańsk.
        assert not Poll.objects.exists() and not Proposal.objects.exists()
        assert not Candidate.objects.exists() and not Ballot.objects.exists()


def _assert_apart() -> None:
    gdansk_titles = [idea.title for idea in _ideas(demo_gdansk.CONTENT)]
    gdansk_people = [p.email for p in demo_gdansk.CONTENT.residents]
    with city_context(_ref("springfield")):
        assert not Idea.objects.filter(title__in=gdansk_titles).exists()
        assert not Comment.objects.filter(body__icontains="Grunwaldzka").exists()
        assert not StatusChange.objects.filter(answer__icontains="GZDiZ").exists()
        assert not User.objects.filter(email__in=[*gdansk_people, GDANSK.admin_email]).exists()
        assert not User.objects.filter(email__endswith="@gdansk.example").exists()
        gdansk = demo_gdansk.CONTENT
        assert not Project.objects.filter(
            slug__in=[p.slug for p in (*gdansk.projects, *gdansk.participation)]
        )
        assert not Topic.objects.filter(slug="zielen").exists()
        for project in Project.objects.all():
            assert not idea_list(
                project=project, viewer=AnonymousUser(), search="Grunwaldzka"
            ).exists()
        assert all(set(p.title) == {"en"} for p in Project.objects.all())
        assert not Event.objects.filter(title__pl__isnull=False).exists()
        assert not Event.objects.filter(place__en__icontains="Galeria").exists()
        assert not Survey.objects.filter(phase__project__slug="ankieta-codzienne-podroze")
    with city_context(_ref("gdansk")):
        assert not Idea.objects.filter(title__icontains="Main Street").exists()
        assert not User.objects.filter(email__endswith="@springfield.example").exists()
        assert not Event.objects.filter(title__en__icontains="Town hall").exists()
        assert not Project.objects.filter(slug__in=["parks-survey-2026", "volunteer-springfield"])


def _assert_pages_show_the_content() -> None:
    gdansk = Client(HTTP_HOST=_ref("gdansk").primary_domain)
    gdansk.cookies["ratusz_language"] = "en"
    home = gdansk.get("/")
    assert home.status_code == 200
    assert "Civic Budget 2027: submit your idea" in home.content.decode()
    project = gdansk.get("/projects/konsultacje-aleja-grunwaldzka/")
    assert project.status_code == 200
    assert "Zachować szpaler lip przy Zaspie" in project.content.decode()
    # Events and the other methods, in the visitor's language.
    events = gdansk.get("/events/").content.decode()
    assert "Research walk: Grunwaldzka Avenue after the consultation" in events
    assert "12 of 12 seats taken, 3 people waiting" in events
    polish = Client(HTTP_HOST=_ref("gdansk").primary_domain)
    polish.cookies["ratusz_language"] = "pl"
    assert "Spacer badawczy: Aleja Grunwaldzka" in polish.get("/events/").content.decode()
    for slug in ("zielony-budzet-2026", "ankieta-codzienne-podroze", "sonda-nazwa-skweru"):
        assert gdansk.get(f"/projects/{slug}/").status_code == 200, slug
    initiatives = gdansk.get("/projects/inicjatywy-mieszkancow/").content.decode()
    assert "Poidełka z wodą pitną" in initiatives
    springfield = Client(HTTP_HOST=_ref("springfield").primary_domain)
    spring_events = springfield.get("/events/").content.decode()
    assert "Town hall: Main Street safety plan update" in spring_events
    assert "Research walk" not in spring_events and "Spacer badawczy" not in spring_events
    volunteer = springfield.get("/projects/volunteer-springfield/").content.decode()
    assert "Riverside Park clean-up crew" in volunteer
    assert springfield.get("/projects/zielony-budzet-2026/").status_code == 404
    page = springfield.get("/projects/riverside-park-refresh/")
    assert page.status_code == 200
    assert "Shade over the splash pad" in page.content.decode()
    assert springfield.get("/projects/konsultacje-aleja-grunwaldzka/").status_code == 404


def test_the_content_is_the_same_on_every_run(make_city):
    """Same likers, same numbers, same order, in two fresh cities (fixed random seeds)."""

    def written(city) -> list[tuple[object, ...]]:
        with city_context(city.ref):
            write_demo_content(SPRINGFIELD)
            reactions = Reaction.objects.values_list(
                "idea__title", "user__email", "kind", "created_at"
            )
            comments = Comment.objects.values_list(
                "idea__title", "author__email", "body", "created_at"
            )
            # Times of day: the dates move with the day the content is written.
            return [
                *sorted((*row[:3], row[3].time()) for row in reactions),
                *sorted((*row[:3], row[3].time()) for row in comments),
            ]

    first = written(make_city(default_language="en", languages=["en"]))
    second = written(make_city(default_language="en", languages=["en"]))
    assert first == second
    assert len(first) > 300


def test_content_that_does_not_fit_its_timeline_is_refused_and_leaves_no_city(live_db):
    riverside = demo_springfield.RIVERSIDE_PROJECT
    ideation = riverside.phases[1]
    late = replace(ideation.ideas[0], day=ideation.starts * -1 + 3)  # before the phase opened
    broken = replace(
        SPRINGFIELD,
        slug="demo-broken",
        admin_email="admin@broken.example",
        content=replace(
            demo_springfield.CONTENT,
            projects=(
                DemoProject(
                    slug=riverside.slug,
                    title=riverside.title,
                    description=riverside.description,
                    phases=(replace(ideation, ideas=(late,)),),
                ),
            ),
        ),
    )
    with pytest.raises(DemoContentError, match="posted outside its phase"):
        seed_demo_city(broken)
    assert not City.objects.filter(slug="demo-broken").exists()


def test_demo_cities_are_refused_in_production_without_a_password_of_ones_own(settings):
    settings.ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo")
    with pytest.raises(CommandError, match="--password"):
        call_command("seed_demo", "--allow-production")
    with pytest.raises(CommandError, match="cannot be empty"):
        call_command("seed_demo", "--allow-production", "--password", " ")
    with pytest.raises(CommandError, match="not available in production"):
        call_command("seed_demo", "--allow-production", "--password", "s3cret-demo", "--reset")
    assert [demo.slug for demo in DEMO_CITIES] == ["gdansk", "springfield"]
