"""Two cities for the isolation matrix, built once per module through the services production
uses: city A, lean (its people are the ones who probe), and city B, rich (everything a city
can hold: projects with a phase of every participation method, ideas, comments, surveys with
responses and uploads, polls, ballots, proposals, events, volunteering, campaigns, exports,
pages, links, groups, statuses, themes, moderation, invitations...).

Every text of a city carries the city's marker, every slug its slug marker and every e-mail
address its marker, so a page of A that shows anything of B is found by a plain search. The
id sequences of B start far above A's, so an id of B never names an object of A: a page of A
asked for B's id has nothing of its own to show and must answer "not found".
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from PIL import Image

from ratusz.accounts.models import Role, User
from ratusz.accounts.services import accept_invitation, create_invitation
from ratusz.celery import app as celery_app
from ratusz.consultations.branding import services as branding
from ratusz.consultations.branding.models import LinkPlace, PageStatus
from ratusz.consultations.campaigns import services as campaigns
from ratusz.consultations.campaigns.models import Audience, AutomaticEmail
from ratusz.consultations.core import services as consultations
from ratusz.consultations.core.models import Phase, Project
from ratusz.consultations.insight import services as insight
from ratusz.consultations.methods.events import services as events
from ratusz.consultations.methods.ideation import services as ideation
from ratusz.consultations.methods.ideation.models import IdeaStatus
from ratusz.consultations.methods.polls import services as polls
from ratusz.consultations.methods.proposals import services as proposals
from ratusz.consultations.methods.surveys import services as surveys
from ratusz.consultations.methods.volunteering import services as volunteering
from ratusz.consultations.methods.voting import services as voting
from ratusz.consultations.methods.voting.models import Candidate
from ratusz.consultations.participation.moderation import services as moderation
from ratusz.consultations.people import services as people
from ratusz.consultations.reports import services as reports
from ratusz.tenants import domains
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection
from tests.conftest import CityUnderTest

PASSWORD = "correct horse battery"  # test accounts only
# B's ids start here; A's stay small (a city's own rows made at provisioning included).
B_ID_START = 7_000_000


@dataclass
class People:
    administrator: User
    manager: User
    residents: list[User]


@dataclass
class World:
    """One city of the matrix: its people, and the markers its content carries."""

    city: CityUnderTest
    marker: str  # in every text of the city
    slug_marker: str  # in every slug of the city
    people: People
    # What a probe must never find in another city's pages, besides the marker.
    secrets: set[str] = field(default_factory=set)
    # Secrets of the city's vote: its printed one-time codes and an identifier on its census.
    voting_phase_id: int = 0
    voting_codes: list[str] = field(default_factory=list)
    census: str = ""
    # Session cookies of the city's people by role, made once for the module.
    sessions: dict[str, str] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        client = self.city.client()
        user = self.user(role)
        if user is not None:
            with city_context(self.city.ref):
                client.force_login(user)
        return client

    def user(self, role: str) -> User | None:
        if role == "anonymous":
            return None
        return {
            "resident": self.people.residents[0],
            "manager": self.people.manager,
            "administrator": self.people.administrator,
        }[role]


ROLES = ("anonymous", "resident", "manager", "administrator")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def start_ids_at(schema: str, start: int) -> None:
    """Every id sequence of the schema continues from `start`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'S'",
            [schema],
        )
        for (name,) in cursor.fetchall():  # names from the catalogue, not from input
            cursor.execute(f'SELECT setval(\'"{schema}"."{name}"\', %s)', [start])


@contextmanager
def tasks_in_process() -> Iterator[None]:
    """What the content sets off (notifications' e-mails, exports) runs at once, in the
    city that asked: nothing is left on the broker for another test's worker."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = before


def _admin(email: str, name: str) -> User:
    issued = create_invitation(email=email, role=Role.ADMINISTRATOR, full_name=name)
    return accept_invitation(token=issued.token, full_name=name, password=PASSWORD)


def make_people(marker: str) -> People:
    low = marker.lower()
    administrator = _admin(f"{low}-admin@example.com", f"{marker} Administrator")
    manager = User.objects.create_user(
        f"{low}-manager@example.com",
        PASSWORD,
        full_name=f"{marker} Manager",
        role=Role.PROJECT_MANAGER,
        is_staff=True,
    )
    residents = [
        User.objects.create_user(
            f"{low}-resident{number}@example.com", PASSWORD, full_name=f"{marker} Resident {number}"
        )
        for number in range(1, 5)
    ]
    return People(administrator=administrator, manager=manager, residents=residents)


def _world(city: CityUnderTest, marker: str, slug_marker: str, staff: People) -> World:
    everyone = [staff.administrator, staff.manager, *staff.residents]
    return World(
        city=city,
        marker=marker,
        slug_marker=slug_marker,
        people=staff,
        secrets={marker, city.model.name, city.host, *(u.email for u in everyone)},
    )


def rich_world(
    city: CityUnderTest, marker: str, slug_marker: str, *, start_ids: int | None
) -> World:
    with city_context(city.ref), tasks_in_process():
        if start_ids is not None:
            start_ids_at(city.schema, start_ids)
        staff = make_people(marker)
        built = _RichCity(marker, slug_marker, staff)
        built.build()
    world = _world(city, marker, slug_marker, staff)
    assert built.voting_phase is not None
    world.voting_phase_id = built.voting_phase.pk
    world.voting_codes = built.voting_codes
    world.census = built.census
    return world


class _RichCity:
    def __init__(self, marker: str, slug_marker: str, staff: People) -> None:
        self.m = marker
        self.s = slug_marker
        self.staff = staff
        self.admin = staff.administrator
        self.now = timezone.now()
        self.census = f"{marker}0001"
        self.voting_codes: list[str] = []
        self.voting_phase: Phase | None = None

    def text(self, what: str) -> dict[str, str]:
        return {"pl": f"{self.m} {what}", "en": f"{self.m} {what}"}

    def html(self, what: str) -> dict[str, str]:
        return {"pl": f"<p>{self.m} {what}</p>", "en": f"<p>{self.m} {what}</p>"}

    def build(self) -> None:
        topic = consultations.create_topic(slug=f"{self.s}-topic", name=self.text("topic"))
        area = consultations.create_area(slug=f"{self.s}-area", name=self.text("area"))
        folder = consultations.create_folder(
            slug=f"{self.s}-folder", title=self.text("folder"), description=self.html("folder")
        )
        group = people.create_group(name=f"{self.m} group", description=f"{self.m} members")
        people.add_members(group=group, emails=[self.staff.residents[1].email])
        people.create_field(
            key=f"{self.s}_district",
            label=self.text("district"),
            kind="text",
            help_text=self.text("help"),
        )
        ideas_phase = self._ideation(topic, area, folder)
        self._voting(ideas_phase)
        self._survey()
        self._poll()
        self._proposals()
        self._events()
        self._volunteering()
        self._hidden_projects(group)
        self._site()
        self._campaigns(group)
        self._people()
        self._exports()
        self._themes(ideas_phase.project)

    def project(self, name: str, **options: Any) -> Project:
        return consultations.create_project(
            slug=f"{self.s}-{name}",
            title=self.text(f"project {name}"),
            description=self.html(f"project {name}"),
            managers=[self.staff.manager],
            **options,
        )

    def phase(self, project: Project, method: str, **options: Any) -> Phase:
        phase = consultations.add_phase(
            project=project,
            method=method,
            starts_at=self.now - timedelta(days=3),
            ends_at=self.now + timedelta(days=30),
            title=self.text(f"phase {method}"),
            description=self.html(f"phase {method}"),
            **options,
        )
        consultations.publish_project(project=project)
        return phase

    def _ideation(self, topic: Any, area: Any, folder: Any) -> Phase:
        project = self.project("ideas", topics=[topic], area=area, folder=folder)
        phase = consultations.add_phase(
            project=project,
            method="ideation",
            starts_at=self.now - timedelta(days=20),
            ends_at=self.now + timedelta(hours=2),
            title=self.text("ideas phase"),
            options={"fields": {"images": "optional", "location": "optional"}},
        )
        consultations.publish_project(project=project)
        accepted = IdeaStatus.objects.get(code="accepted")
        self.ideas = []
        for number, author in enumerate(self.staff.residents[:3], start=1):
            idea = ideation.post_idea(
                author=author,
                phase=phase,
                title=f"{self.m} idea {number}",
                body=f"<p>{self.m} idea body {number}</p>",
                topics=[topic],
                location=ideation.Location(
                    latitude=Decimal("54.35"),
                    longitude=Decimal("18.64"),
                    address=f"{self.m} street {number}",
                ),
                images=[(png(f"{self.s}-idea-{number}.png"), f"{self.m} photo")],
            )
            self.ideas.append(idea)
            ideation.change_status(
                staff=self.admin, idea=idea, status=accepted, answer=f"<p>{self.m} answer</p>"
            )
        first, second = self.ideas[0], self.ideas[1]
        comment = ideation.add_comment(
            author=self.staff.residents[1], idea=first, body=f"<p>{self.m} comment</p>"
        )
        ideation.add_comment(
            author=self.staff.residents[0],
            idea=first,
            body=f"<p>{self.m} reply</p>",
            parent=comment,
        )
        ideation.react(user=self.staff.residents[2], idea=first, kind=1)
        ideation.follow(user=self.staff.residents[3], idea=second)
        moderation.report_content(
            reporter=self.staff.residents[3], item=first, reason="spam", explanation=self.m
        )
        moderation.report_content(
            reporter=self.staff.residents[2], item=comment, reason="spam", explanation=self.m
        )
        ideation.save_status(
            staff=self.admin,
            code=f"{self.s}_status",
            name=self.text("status"),
            description=self.text("status"),
            color="#123456",
            is_final=False,
        )
        # The ideas' phase ends so that a vote on them can follow.
        consultations.change_phase(
            phase=phase,
            method="ideation",
            starts_at=phase.starts_at,
            ends_at=self.now - timedelta(days=4),
            title=phase.title,
            description={},
        )
        return phase

    def _voting(self, ideas_phase: Phase) -> None:
        project = ideas_phase.project
        phase = consultations.add_phase(
            project=project,
            method="voting",
            starts_at=self.now - timedelta(days=3),
            ends_at=self.now + timedelta(days=30),
            title=self.text("vote"),
            options={
                "voting_mode": "budget",
                "budget": 100_000,
                "min_spend": 0,
                "source_phase": ideas_phase.pk,
                "source_statuses": ["accepted"],
            },
            permissions={"vote": {"who": "everyone"}},
        )
        voting.import_candidates(phase=phase)
        candidates = list(Candidate.objects.filter(phase=phase).order_by("position"))
        for candidate in candidates:
            voting.update_candidate(candidate=candidate, cost=20_000, included=True)
        candidates = list(Candidate.objects.filter(phase=phase).order_by("position"))
        voter = self.staff.residents[3]
        voting.add_vote(user=voter, phase=phase, candidate=candidates[0])
        voting.submit_ballot(user=voter, phase=phase)
        voting.add_vote(user=self.staff.residents[2], phase=phase, candidate=candidates[1])
        voting.add_paper_votes(
            staff=self.admin, candidate=candidates[0], votes=3, note=f"{self.m} paper"
        )
        self.voting_phase = phase
        self.voting_codes = voting.generate_codes(staff=self.admin, phase=phase, count=2)
        voting.upload_census(
            staff=self.admin,
            file_name=f"{self.s}.csv",
            content=f"identifier\n{self.census}\n".encode(),
            pesel=False,
            has_header=True,
        )

    def _survey(self) -> None:
        phase = self.phase(self.project("survey"), "survey")
        survey = surveys.ensure_survey(phase=phase)
        surveys.update_texts(
            staff=self.admin, survey=survey, intro=self.html("intro"), thank_you=self.html("thanks")
        )
        first = survey.pages.get()
        second = surveys.add_page(staff=self.admin, survey=survey, title=self.text("page two"))

        def ask(page: Any, kind: str, what: str, **config: Any) -> Any:
            return surveys.save_question(
                staff=self.admin,
                survey=survey,
                page=page,
                kind=kind,
                text=self.text(what),
                help_text=self.text("help"),
                required=False,
                config=config,
            )

        choice = ask(
            first,
            "single",
            "choose",
            choices=[
                {"key": "c1", "label": self.text("yes")},
                {"key": "c2", "label": self.text("no")},
            ],
            allow_other=False,
        )
        upload = ask(first, "file", "upload", extensions=["png"], max_mb=5)
        ask(second, "long_text", "say more")
        surveys.add_rule(staff=self.admin, page=first, question=choice, value="c2", target=None)
        for person in self.staff.residents[:2]:
            surveys.answer_page(
                survey=survey,
                respondent=surveys.Respondent(user=person),
                page=first,
                answers={choice.pk: {"choice": "c2"}},
                uploads={upload.pk: png(f"{self.s}-answer.png")},
            )

    def _poll(self) -> None:
        phase = self.phase(self.project("poll"), "poll")
        poll = polls.add_poll(
            staff=self.admin,
            phase=phase,
            question=self.text("poll question"),
            choices=[self.text("one"), self.text("two")],
            multiple=False,
        )
        polls.vote(user=self.staff.residents[0], poll=poll, choices=[poll.choices.all()[0]])

    def _proposals(self) -> None:
        phase = self.phase(self.project("proposals"), "proposals")
        proposal = proposals.submit_proposal(
            author=self.staff.residents[0],
            phase=phase,
            title=f"{self.m} proposal",
            body=f"<p>{self.m} proposal body</p>",
        )
        proposals.support_proposal(user=self.staff.residents[1], proposal=proposal)

    def _event_details(self, what: str, days: int) -> events.EventDetails:
        starts = self.now + timedelta(days=days)
        return events.EventDetails(
            title=self.text(what),
            description=self.html(what),
            place=self.text("hall"),
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            capacity=1,
        )

    def _events(self) -> None:
        phase = self.phase(self.project("events"), "events")
        event = events.create_event(phase=phase, details=self._event_details("meeting", 5))
        city_wide = events.create_event(details=self._event_details("city event", 6))
        for person in self.staff.residents[:2]:  # the second one waits
            events.register(user=person, event=event)
        events.register(user=self.staff.residents[2], event=city_wide)

    def _volunteering(self) -> None:
        phase = self.phase(self.project("volunteering"), "volunteering")
        cause = volunteering.add_cause(
            phase=phase, title=self.text("cause"), description=self.html("cause"), needed=3
        )
        volunteering.sign_up(user=self.staff.residents[0], cause=cause)

    def _hidden_projects(self, group: Any) -> None:
        self.project("draft")  # never published
        restricted = self.project("members", visibility="groups", visible_to=[group])
        self.phase(restricted, "information")
        archived = self.project("archived")
        self.phase(archived, "information")
        consultations.archive_project(project=archived)

    def _site(self) -> None:
        page = branding.save_page(
            slug=f"{self.s}-page",
            title=self.text("page"),
            body=self.html("page"),
            status=PageStatus.PUBLISHED,
        )
        branding.save_page(
            slug=f"{self.s}-draft-page",
            title=self.text("draft page"),
            body=self.html("draft page"),
            status=PageStatus.DRAFT,
        )
        branding.add_link(place=LinkPlace.FOOTER, label=self.text("link"), page=page)
        branding.add_link(
            place=LinkPlace.HEADER, label=self.text("link"), url="https://example.com/b"
        )
        consultations.update_welcome(title=self.text("welcome"), text=self.html("welcome"))
        domains.add_custom_domain(city_id=connection.tenant.id, domain=f"{self.s}.example.org")

    def _campaigns(self, group: Any) -> None:
        campaign = campaigns.create_campaign(
            author=self.admin,
            subject=self.text("campaign"),
            body=self.html("campaign"),
            audience=Audience.GROUP,
            group=group,
        )
        campaigns.send_campaign(campaign=campaign, by=self.admin)
        campaigns.create_campaign(
            author=self.admin,
            subject=self.text("draft campaign"),
            body=self.html("draft campaign"),
            audience=Audience.EVERYONE,
        )
        campaigns.save_email_template(
            kind=AutomaticEmail.WELCOME,
            subject=self.text("welcome mail"),
            body=self.html("welcome mail"),
            by=self.admin,
        )

    def _people(self) -> None:
        moderation.block_resident(
            admin=self.admin, resident=self.staff.residents[3], reason=f"{self.m} block"
        )
        people.invite_staff(
            admin=self.admin,
            email=f"{self.m.lower()}-invited@example.com",
            role=Role.PROJECT_MANAGER,
            full_name=f"{self.m} Invited",
            accept_url=lambda token: f"/invitation/{token}/",
            city_name=self.m,
        )

    def _exports(self) -> None:
        with transaction.atomic():
            reports.request_export(
                requested_by=self.admin, kind="ideas", file_format="csv", project=None
            )

    def _themes(self, project: Project) -> None:
        with transaction.atomic():
            insight.request_analysis(project=project, by=self.admin)
