"""Demo cities for development and demonstrations, built through the services production uses.

`seed_demo_cities()` provisions each city of `DEMO_CITIES` that does not exist yet (through
`provision_city`), opens its administrator's account (accepting the invitation with the demo
password) and fills it with sample content: staff and residents, topics and districts,
projects in every state (an open idea collection, a finished consultation with official
answers, an information page, an upcoming consultation, a folder), ideas with places on the map,
comments, replies, likes and status changes; then the other participation methods
(`DemoContent.participation` and `.events`, written by ratusz.demo.methods): a
participatory-budget vote on accepted ideas with residents' baskets, surveys with a skip rule
and responses, a poll, proposals collecting support, volunteering causes and city-wide events
with a waiting list. A city that already exists is left alone.

Sample content is data, not gettext (ratusz.demo.gdansk, ratusz.demo.springfield): each text
is written once per city language, as a city's staff and residents would write it. Ideas,
comments and answers go through the ideation services, so every rule holds (who may post,
phase dates, rate limits, rich text); only their dates are then moved into the past, so that
the portal looks lived-in (see `add_projects`). The content is the same on every run (fixed
random seeds); its dates are relative to the day it is seeded.

Adding content later:
  1. describe it as data on `DemoContent` (ratusz.demo.content) with a default;
  2. write a step `add_<thing>(demo: DemoCity) -> None` that calls the city plane's services;
  3. append the step to `CONTENT_STEPS`.
Steps run in order, inside the new city's context, and commit as they go (see
`write_demo_content`): whatever listens to the services' events after a commit (notifications)
runs for the right city and sees the discussion as it stood. `settle_notifications` then dates
the notifications the content caused. If anything fails, the half-made city is removed again.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from ratusz.accounts.models import Consent, PolicyDocument, Role, User
from ratusz.accounts.selectors import account_settings
from ratusz.accounts.services import accept_invitation, record_consent
from ratusz.consultations.core.models import Area, Folder, Phase, Project, PublicationStatus, Topic
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import can_act
from ratusz.consultations.core.services import (
    add_phase,
    create_area,
    create_folder,
    create_project,
    create_topic,
    publish_project,
    update_welcome,
)
from ratusz.consultations.methods.ideation.models import (
    Comment,
    Idea,
    IdeaStatus,
    Reaction,
    StatusChange,
)
from ratusz.consultations.methods.ideation.services import (
    Location,
    add_comment,
    change_status,
    follow,
    post_idea,
)
from ratusz.consultations.participation.notifications.models import (
    Frequency,
    Notification,
    NotificationPreference,
)
from ratusz.demo import gdansk as demo_gdansk
from ratusz.demo import springfield as demo_springfield
from ratusz.demo.content import (
    PROJECT_MANAGER,
    DemoComment,
    DemoContent,
    DemoIdea,
    DemoPerson,
    DemoPhase,
    DemoProject,
)
from ratusz.demo.methods import MethodWriter, add_city_events, write_phase_content
from ratusz.tenants.context import CityRef, city_context, control_plane
from ratusz.tenants.links import city_url
from ratusz.tenants.models import City, CityStatus, Domain
from ratusz.tenants.services import provision_city, purge_city
from ratusz.tenants.slugs import transliterate

logger = logging.getLogger(__name__)

# The password of every demo account (administrator, project manager, residents), printed by
# `seed_demo`; `seed_demo --password` chooses another one (required in production).
DEMO_PASSWORD = "ratusz-demo"  # noqa: S105  # public on purpose: demo accounts only


# --- What the demo cities are ------------------------------------------------------------------


@dataclass(frozen=True)
class DemoWelcome:
    """The portal's welcome title and text, one value per city language."""

    title: dict[str, str]
    text: dict[str, str]


@dataclass(frozen=True)
class DemoCity:
    name: str
    slug: str
    country: str
    default_language: str
    languages: tuple[str, ...]
    time_zone: str
    admin_email: str
    admin_name: str
    welcome: DemoWelcome
    status: str = CityStatus.ACTIVE
    content: DemoContent = field(default_factory=DemoContent)
    password: str = DEMO_PASSWORD


GDANSK = DemoCity(
    name="Gdańsk",
    slug="gdansk",
    country="PL",
    default_language="pl",
    languages=("pl", "en"),
    time_zone="Europe/Warsaw",
    admin_email="admin@gdansk.example",
    admin_name="Katarzyna Nowak",
    content=demo_gdansk.CONTENT,
    welcome=DemoWelcome(
        title={
            "pl": "Gdańsk zmieniamy razem",
            "en": "Let's shape Gdańsk together",
        },
        text={
            "pl": (
                "Masz pomysł na lepszą okolicę? Zgłoś projekt do Budżetu Obywatelskiego, weź "
                "udział w konsultacjach i sprawdź, co miasto zrobiło z uwagami mieszkańców. "
                "Każdy głos się liczy – od Oliwy po Stogi."
            ),
            "en": (
                "Have an idea for a better neighbourhood? Submit a project to the Civic Budget, "
                "take part in consultations and see what the city did with residents' "
                "comments. Every voice counts, from Oliwa to Stogi."
            ),
        },
    ),
)

SPRINGFIELD = DemoCity(
    name="Springfield",
    slug="springfield",
    country="US",
    default_language="en",
    languages=("en",),
    time_zone="America/Chicago",
    admin_email="admin@springfield.example",
    admin_name="Jordan Miller",
    content=demo_springfield.CONTENT,
    welcome=DemoWelcome(
        title={"en": "Help shape Springfield's future"},
        text={
            "en": (
                "From safer crossings on Main Street to longer library hours, City Hall wants "
                "to hear from you. Share your ideas, comment on proposals and follow what "
                "happens to them, from first draft to council vote."
            ),
        },
    ),
)

DEMO_CITIES: tuple[DemoCity, ...] = (GDANSK, SPRINGFIELD)


# --- How their content is written ---------------------------------------------------------------

ContentStep = Callable[[DemoCity], None]


class DemoContentError(ValueError):
    """Sample content that does not fit its timeline (a mistake in the demo data)."""


@transaction.atomic
def add_welcome(demo: DemoCity) -> None:
    update_welcome(title=dict(demo.welcome.title), text=dict(demo.welcome.text))


def _supporters(content: DemoContent) -> list[DemoPerson]:
    people = []
    for number, name in enumerate(content.supporters, start=1):
        local = ".".join(transliterate(name).lower().replace("'", "").split())
        people.append(
            DemoPerson(
                f"supporter-{number}", name, f"{local}@example.com", content.supporter_language
            )
        )
    return people


def _everyone(content: DemoContent) -> list[DemoPerson]:
    staff = [content.manager] if content.manager is not None else []
    return [*staff, *content.residents, *_supporters(content)]


@transaction.atomic
def add_accounts(demo: DemoCity) -> None:
    """The project manager and the residents: confirmed e-mail addresses, the city's current
    terms accepted, all with the demo password (hashed once: hashing is slow on purpose).

    Accounts are made with create_user, then the rows sign-up would have added are written in
    bulk: a few dozen accounts through the sign-up forms would cost seconds and prove nothing
    that the accounts' own tests do not."""
    people = _everyone(demo.content)
    if not people:
        return
    rng = random.Random(f"{demo.slug}:accounts")  # noqa: S311  # repeatable, not secret
    today = _Calendar.for_city(demo).today
    users = []
    for person in people:
        staff = person.role == PROJECT_MANAGER
        users.append(
            User.objects.create_user(
                person.email,
                None,
                full_name=person.name,
                role=Role.PROJECT_MANAGER if staff else Role.RESIDENT,
                language=person.language,
                is_staff=staff,
                # Joined well before anything they wrote (the oldest content is ~150 days old).
                date_joined=today
                - timedelta(days=rng.randint(160, 900), minutes=rng.randint(0, 900)),
            )
        )
    User.objects.filter(pk__in=[u.pk for u in users]).update(password=_hashed(demo.password))
    # The addresses count as confirmed, as if each person had opened the link sent at sign-up
    # (ratusz.consultations.core.rules asks allauth's EmailAddress, as sign-up records it).
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    # Everyone accepted the city's current terms and privacy policy (what record_consent
    # stores), so nobody is stopped at the consent page.
    policies = account_settings()
    Consent.objects.bulk_create(
        Consent(user=user, document=document, version=policies.version_of(document))
        for user in users
        for document in PolicyDocument.values
    )
    # Quiet while seeding: the content is months of activity, and e-mailing all of it at once
    # would flood the mailbox. `settle_notifications` removes these preferences again (back to
    # the default, at once) after the commit, once the notifications are recorded.
    NotificationPreference.objects.bulk_create(
        NotificationPreference(user=user, frequency=Frequency.NONE) for user in users
    )


# Hashing a password is slow on purpose (about a second on a busy machine); the demo accounts
# share one password, so it is hashed once per process.
_password_hashes: dict[str, str] = {}


def _hashed(password: str) -> str:
    if password not in _password_hashes:
        _password_hashes[password] = make_password(password)
    return _password_hashes[password]


@transaction.atomic
def add_topics_and_areas(demo: DemoCity) -> None:
    for position, topic in enumerate(demo.content.topics):
        create_topic(slug=topic.slug, name=dict(topic.name), position=position)
    for position, area in enumerate(demo.content.areas):
        create_area(slug=area.slug, name=dict(area.name), position=position)


def add_projects(demo: DemoCity) -> None:
    """Projects with their timelines, ideas, discussions and the city's answers.

    The ideation services accept ideas and comments only while a phase is open and only a
    few per account and hour. So each idea, comment and answer is written through them "now",
    and then its dates (created_at of ideas, comments and status changes; the end of a phase
    that is over) are moved to where the demo data places them, with plain updates. Reactions
    are the one bulk write (see `_Writer._add_reactions`).
    """
    content = demo.content
    if not content.projects:
        return
    if content.manager is None:
        raise DemoContentError("Demo projects need a project manager.")
    writer = _Writer(demo)
    for folder in content.folders:
        writer.folders[folder.slug] = create_folder(
            slug=folder.slug, title=dict(folder.title), description=dict(folder.description)
        )
    for project in content.projects:
        writer.add_project(project)


def add_participation(demo: DemoCity) -> None:
    """Projects of the other participation methods (a budget vote, surveys, polls, proposals,
    volunteering) and the city-wide events, through those methods' services
    (ratusz.demo.methods)."""
    content = demo.content
    if not content.participation and not content.events:
        return
    if content.manager is None:
        raise DemoContentError("Demo projects need a project manager.")
    writer = _Writer(demo)
    for project in content.participation:
        writer.add_project(project)
    with transaction.atomic():
        add_city_events(writer.methods, content.events)


CONTENT_STEPS: tuple[ContentStep, ...] = (
    add_welcome,
    add_accounts,
    add_topics_and_areas,
    add_projects,
    add_participation,
)


def write_demo_content(demo: DemoCity) -> None:
    """Write the demo content into the current city (run it inside `city_context`), then
    `settle_notifications`.

    The steps commit as they go, as a city's real activity does: each idea, comment and answer
    in its own transaction, so that what listens to the services' events after each commit
    (notifications) sees the discussion as it stood then (who followed the idea by that
    comment, who reacted before that answer). If anything fails, `seed_demo_city` removes the
    half-made city again."""
    for step in CONTENT_STEPS:
        step(demo)
    settle_notifications(demo)


def settle_notifications(demo: DemoCity) -> None:
    """Once the content is written: the notifications it caused get the dates of the comments
    and answers they announce, those older than a week count as read, and the demo accounts
    get the default e-mail preference back (at once), so new activity is e-mailed."""
    today = _Calendar.for_city(demo).today
    with transaction.atomic():
        for anchor, model in (("comment", Comment), ("status_change", StatusChange)):
            Notification.objects.filter(**{f"{anchor}__isnull": False}).update(
                created_at=Subquery(
                    model.objects.filter(pk=OuterRef(f"{anchor}_id")).values("created_at")[:1]
                )
            )
        Notification.objects.filter(
            created_at__lt=today - timedelta(days=7), read_at__isnull=True
        ).update(read_at=F("created_at") + timedelta(hours=9))
        emails = [person.email for person in _everyone(demo.content)]
        NotificationPreference.objects.filter(
            user__email__in=emails, frequency=Frequency.NONE
        ).delete()


@dataclass(frozen=True)
class _Calendar:
    """Days and clock times of the demo data, in the city's time zone."""

    zone: ZoneInfo
    today_date: date
    now: datetime

    @classmethod
    def for_city(cls, demo: DemoCity) -> _Calendar:
        zone = ZoneInfo(demo.time_zone)
        now = timezone.now()
        return cls(zone=zone, today_date=now.astimezone(zone).date(), now=now)

    @property
    def today(self) -> datetime:
        """Midnight at the start of today: every demo moment lies before it."""
        return self.at(0)

    def at(self, days: int, clock: str = "00:00") -> datetime:
        hours, minutes = (int(part) for part in clock.split(":"))
        return datetime.combine(
            self.today_date + timedelta(days=days), time(hours, minutes), tzinfo=self.zone
        )


class _Writer:
    """Writes one city's projects; knows its people, topics, areas, folders and statuses."""

    def __init__(self, demo: DemoCity) -> None:
        self.demo = demo
        self.calendar = _Calendar.for_city(demo)
        content = demo.content
        by_email = {u.email: u for u in User.objects.all()}
        everyone = _everyone(content)
        self.people = {p.key: by_email[p.email] for p in everyone}
        assert content.manager is not None
        self.manager = self.people[content.manager.key]
        # Everyone but staff may like an idea.
        self.residents = [self.people[p.key] for p in everyone if p.role != PROJECT_MANAGER]
        self.topics = {t.slug: t for t in Topic.objects.all()}
        self.areas = {a.slug: a for a in Area.objects.all()}
        self.statuses = {s.code: s for s in IdeaStatus.objects.all()}
        self.folders: dict[str, Folder] = {}
        self.methods = MethodWriter(
            city=demo.slug,
            languages=demo.languages,
            people=self.people,
            residents=self.residents,
            manager=self.manager,
            at=self.calendar.at,
            now=self.calendar.now,
        )

    def add_project(self, spec: DemoProject) -> Project:
        calendar = self.calendar
        project = create_project(
            slug=spec.slug,
            title=dict(spec.title),
            description=dict(spec.description),
            topics=[self.topics[slug] for slug in spec.topics],
            area=self.areas[spec.area] if spec.area else None,
            folder=self.folders[spec.folder] if spec.folder else None,
            managers=[self.manager],
        )
        for phase_spec in spec.phases:
            self._add_phase(project, phase_spec)
        first_start = calendar.at(spec.phases[0].starts) if spec.phases else calendar.today
        published = min(first_start - timedelta(days=7), calendar.today - timedelta(days=2))
        published += timedelta(hours=10)
        Project.objects.filter(pk=project.pk).update(
            published_at=published, created_at=published - timedelta(days=6, hours=2)
        )
        return project

    def _add_phase(self, project: Project, spec: DemoPhase) -> Phase:
        calendar = self.calendar
        starts = calendar.at(spec.starts)
        ends = calendar.at(spec.ends) if spec.ends is not None else None
        over = ends is not None and ends <= calendar.now
        if spec.ideas and starts >= calendar.today:
            raise DemoContentError(f"{project.slug}: a phase that has not started has ideas.")
        phase = add_phase(
            project=project,
            method=spec.method,
            # A phase that is over is written while still open, then closed (see add_projects).
            starts_at=starts,
            ends_at=calendar.now + timedelta(days=1) if over and spec.ideas else ends,
            title=dict(spec.title),
            description=dict(spec.description),
            options=dict(spec.options) or None,
            permissions=dict(spec.permissions) or None,
            default_language=self.demo.default_language,
        )
        # Published once it has its first phase, before anyone takes part in it.
        if project.status != PublicationStatus.PUBLISHED:
            publish_project(project=project)
        open_until = min(ends, calendar.today) if ends is not None else calendar.today
        for idea in spec.ideas:
            self._add_idea(phase, idea, opened=starts, open_until=open_until)
        if over and spec.ideas:
            Phase.objects.filter(pk=phase.pk).update(ends_at=ends)
            phase.ends_at = ends
        with transaction.atomic():
            write_phase_content(self.methods, phase, spec)
        return phase

    def _add_idea(
        self, phase: Phase, spec: DemoIdea, *, opened: datetime, open_until: datetime
    ) -> Idea:
        calendar = self.calendar
        posted = calendar.at(-spec.day, spec.at)
        where = f"{phase.project.slug}: “{spec.title}”"
        if not opened <= posted < open_until:
            raise DemoContentError(f"{where} is posted outside its phase.")
        author = self.people[spec.author]
        with transaction.atomic():
            idea = self._post(phase, spec, author, posted)
            answered = [
                (calendar.at(answer.days - spec.day, answer.at), answer) for answer in spec.answers
            ]
            first_answer = answered[0][0] if answered else open_until
            rng = random.Random(f"{self.demo.slug}:{spec.title}")  # noqa: S311  # repeatable
            self._add_reactions(idea, spec, rng, posted, min(open_until, first_answer))
        self._add_comments(idea, spec.comments, posted, posted, open_until, where, parent=None)
        previous = posted
        for when, answer in answered:
            if not previous < when < calendar.today:
                raise DemoContentError(f"{where}: an answer is out of order or not yet due.")
            with transaction.atomic():
                change = change_status(
                    staff=self.manager,
                    idea=idea,
                    status=self.statuses[answer.status],
                    answer=answer.text,
                )
                StatusChange.objects.filter(pk=change.pk).update(created_at=when)
                moved = {"updated_at": when}
                if previous == posted:  # the first answer
                    moved["first_answered_at"] = when
                Idea.objects.filter(pk=idea.pk).update(**moved)
            previous = when
        return idea

    def _post(self, phase: Phase, spec: DemoIdea, author: User, posted: datetime) -> Idea:
        place = spec.place
        idea = post_idea(
            author=author,
            phase=phase,
            title=spec.title,
            body=spec.body,
            topics=[self.topics[slug] for slug in spec.topics],
            location=(
                Location(Decimal(place.latitude), Decimal(place.longitude), place.address)
                if place
                else None
            ),
            anonymous=spec.anonymous,
        )
        Idea.objects.filter(pk=idea.pk).update(created_at=posted, updated_at=posted)
        return idea

    def _add_reactions(
        self,
        idea: Idea,
        spec: DemoIdea,
        rng: random.Random,
        posted: datetime,
        until: datetime,
    ) -> None:
        """Likes (and dislikes) from residents chosen at random, spread over the days after
        the idea was posted.

        The react service checks and writes one reaction at a time (about ten queries); the
        demo has hundreds, so they are written in bulk after the service's checks, made once
        per idea: the phase is open and invites reactions, dislikes are allowed in it, nobody
        reacts twice (and the database holds that too)."""
        count = spec.likes + spec.dislikes
        if count == 0:
            return
        others = [user for user in self.residents if user.pk != idea.author_id]
        if count > len(others):
            raise DemoContentError(f"“{spec.title}” has more reactions than demo residents.")
        people = rng.sample(others, count)
        decision = can_act(people[0], idea.phase, Action.REACT)
        if not decision:
            raise DemoContentError(f"“{spec.title}”: {decision.message}")
        if spec.dislikes and idea.phase.options.get("reaction_mode") != "likes_dislikes":
            raise DemoContentError(f"“{spec.title}”: its phase allows likes only.")
        reactions = Reaction.objects.bulk_create(
            Reaction(
                idea=idea,
                user=user,
                kind=Reaction.Kind.LIKE if number < spec.likes else Reaction.Kind.DISLIKE,
            )
            for number, user in enumerate(people)
        )
        # Most reactions come in the first days.
        span = max(min((until - posted).total_seconds(), 7 * 86400) - 600, 60)
        for reaction in reactions:
            reaction.created_at = posted + timedelta(seconds=600 + span * rng.random() ** 2)
        Reaction.objects.bulk_update(reactions, ["created_at"])
        Idea.objects.filter(pk=idea.pk).update(
            likes=F("likes") + spec.likes, dislikes=F("dislikes") + spec.dislikes
        )

    def _add_comments(
        self,
        idea: Idea,
        specs: Iterable[DemoComment],
        posted: datetime,
        after: datetime,
        open_until: datetime,
        where: str,
        *,
        parent: Comment | None,
    ) -> None:
        for spec in specs:
            when = posted + timedelta(hours=spec.hours)
            if not after < when < open_until:
                raise DemoContentError(f"{where}: a comment falls outside the discussion.")
            author = self.people[spec.author]
            with transaction.atomic():
                comment = add_comment(author=author, idea=idea, body=spec.text, parent=parent)
                Comment.objects.filter(pk=comment.pk).update(created_at=when)
                if author.role == Role.RESIDENT:
                    follow(user=author, idea=idea)
            self._add_comments(idea, spec.replies, posted, when, open_until, where, parent=comment)


# --- Seeding -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    role: str  # "administrator" | "project manager" | "resident"
    email: str


@dataclass(frozen=True)
class SeededCity:
    name: str
    slug: str
    created: bool  # False: it existed already and was skipped
    portal_url: str
    admin_email: str
    # The administrator's invitation link while it is still open, else None.
    invitation_url: str | None
    # True once the administrator has accepted the invitation (an account exists).
    admin_has_account: bool
    # The demo accounts to sign in with, and their password (when the demo content exists).
    accounts: tuple[DemoAccount, ...] = ()
    password: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "slug": self.slug,
            "created": self.created,
            "portal_url": self.portal_url,
            "admin_email": self.admin_email,
            "invitation_url": self.invitation_url,
            "admin_has_account": self.admin_has_account,
            "accounts": [{"role": a.role, "email": a.email} for a in self.accounts],
            "password": self.password,
        }


def seed_demo_cities(
    cities: tuple[DemoCity, ...] = DEMO_CITIES, *, password: str | None = None
) -> list[SeededCity]:
    """Create the demo cities that do not exist yet; report on every one of them."""
    if password is not None:
        cities = tuple(replace(demo, password=password) for demo in cities)
    return [seed_demo_city(demo) for demo in cities]


DEMO_OPERATOR_EMAIL = f"operator@{settings.BASE_DOMAIN}"


def seed_demo_operator(*, password: str | None = None) -> tuple[str, bool]:
    """An operator account on the control plane for the console (it asks to set up two
    factors at first sign-in, as every operator). Returns (e-mail, created)."""
    with control_plane():
        existing = User.objects.filter(email=DEMO_OPERATOR_EMAIL).first()
        if existing is not None:
            return DEMO_OPERATOR_EMAIL, False
        User.objects.create_user(
            DEMO_OPERATOR_EMAIL,
            password or DEMO_PASSWORD,
            full_name="Demo operator",
            role=Role.OPERATOR,
            is_staff=True,
        )
    return DEMO_OPERATOR_EMAIL, True


def remove_demo_cities(cities: tuple[DemoCity, ...] = DEMO_CITIES) -> list[str]:
    """Remove the demo cities (schema, domains, registry row), so they can be seeded afresh."""
    removed = []
    for city in City.objects.filter(slug__in=[demo.slug for demo in cities]).order_by("slug"):
        purge_city(city=city)
        removed.append(city.slug)
    return removed


def seed_demo_city(demo: DemoCity) -> SeededCity:
    existing = City.objects.filter(slug=demo.slug).first()
    if existing is not None:
        return _describe_existing(demo, existing)
    made = provision_city(
        name=demo.name,
        slug=demo.slug,
        admin_email=demo.admin_email,
        admin_name=demo.admin_name,
        country=demo.country,
        default_language=demo.default_language,
        languages=list(demo.languages),
        time_zone=demo.time_zone,
        status=demo.status,
    )
    try:
        # The content commits inside the city's context: listeners of the services' events
        # run after each commit and must find the city's schema.
        with city_context(made.ref):
            _open_admin_account(demo, made.invitation_url)
            write_demo_content(demo)
    except BaseException:
        logger.exception("seeding demo city %s failed; removing it again", demo.slug)
        purge_city(city=made.city)
        raise
    logger.info("seeded demo city %s", demo.slug)
    return SeededCity(
        name=made.city.name,
        slug=demo.slug,
        created=True,
        portal_url=made.portal_url,
        admin_email=demo.admin_email,
        invitation_url=None,
        admin_has_account=True,
        accounts=demo_accounts(demo),
        password=demo.password,
    )


def _open_admin_account(demo: DemoCity, invitation_url: str) -> User:
    """The first administrator accepts the invitation provisioning made, with the demo
    password, as a person following the link would."""
    token = invitation_url.rstrip("/").rsplit("/", 1)[-1]
    with transaction.atomic():
        admin = accept_invitation(token=token, full_name=demo.admin_name, password=demo.password)
        _password_hashes.setdefault(demo.password, admin.password)
        policies = account_settings()
        record_consent(
            user=admin,
            terms_version=policies.terms_version,
            privacy_version=policies.privacy_version,
        )
    return admin


def demo_accounts(demo: DemoCity) -> tuple[DemoAccount, ...]:
    staff = [DemoAccount("administrator", demo.admin_email)]
    if demo.content.manager is not None:
        staff.append(DemoAccount("project manager", demo.content.manager.email))
    return (*staff, *(DemoAccount("resident", p.email) for p in demo.content.residents))


def _describe_existing(demo: DemoCity, city: City) -> SeededCity:
    host = (
        Domain.objects.filter(tenant=city, is_primary=True).values_list("domain", flat=True).first()
        or f"{city.slug}.{settings.BASE_DOMAIN}"
    )
    with city_context(CityRef.from_city(city, host)):
        has_account = User.objects.filter(email__iexact=demo.admin_email).exists()
        manager = demo.content.manager
        # Seeded with demo accounts (by this version of the demo): they can sign in, with the
        # demo password unless the city was seeded with another one.
        staff = User.objects.filter(email=manager.email).first() if manager else None
    return SeededCity(
        name=city.name,
        slug=city.slug,
        created=False,
        portal_url=city_url(host),
        admin_email=demo.admin_email,
        invitation_url=None,
        admin_has_account=has_account,
        accounts=demo_accounts(demo) if staff is not None else (),
        password=demo.password
        if staff is not None and staff.check_password(demo.password)
        else None,
    )
