"""A city with something behind every URL, its people in every role, and its states.

Built once per test module (committed: the matrix walks it with many requests) from the demo
city Gdańsk (written through the production services: projects with ideas, a survey, a poll, a
vote, proposals, official answers, notifications) plus what the demo lacks, again through the
services: an events and a volunteering phase, a group, a registration field, a link, a
campaign, an invitation. `values` and `by_route` fill the path parameters of every URL of a
city (see tests.security.urlmap); `PLACEHOLDERS` names the parameters filled with an id of
nothing, and why (the page must then answer 404, never 500).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.billing import services as billing
from ratusz.billing.models import BillingAccount, SubscriptionStatus
from ratusz.consultations.branding import services as branding
from ratusz.consultations.branding.models import Page, SiteLink
from ratusz.consultations.campaigns import services as campaigns
from ratusz.consultations.campaigns.models import AutomaticEmail
from ratusz.consultations.core import services as consultations
from ratusz.consultations.core.models import Folder, Phase, Project
from ratusz.consultations.methods.events import services as events
from ratusz.consultations.methods.ideation.models import Idea
from ratusz.consultations.methods.polls.models import Poll
from ratusz.consultations.methods.proposals.models import Proposal
from ratusz.consultations.methods.surveys.models import Question, SkipRule, SurveyPage
from ratusz.consultations.methods.volunteering import services as volunteering
from ratusz.consultations.methods.voting.models import Candidate, PaperVotes
from ratusz.consultations.participation.notifications.models import Notification
from ratusz.consultations.people import services as people
from ratusz.consultations.people.models import Invitation
from ratusz.consultations.reports.registry import metrics
from ratusz.demo.cities import GDANSK, seed_demo_city
from ratusz.tenants.context import CityRef, city_context
from ratusz.tenants.models import City, CityStatus, Domain
from ratusz.tenants.routing import forget_city
from ratusz.tenants.services import (
    ALLOWED_TRANSITIONS,
    change_city_status,
    restore_deleted_city,
    soft_delete_city,
)
from ratusz.tenants.support import grant_support_access
from tests.security.door_accounts import enter_support

# An id no row has: pages reached with it must answer 404.
NOTHING = 2_147_483_000
# Path parameters filled with an id of nothing or a made-up token, and why.
PLACEHOLDERS: dict[str, str] = {
    "token": "one-time links (invitation, unsubscribe, sign-in, support): a made-up token "
    "must be refused on the page",
    "key": "e-mail confirmation and password-reset keys: a made-up key must be refused",
    "uidb36": "password reset: part of a made-up key",
    "file_id": "a survey answer's uploaded file: none is uploaded here",
    "theme_id": "themes exist only after an analysis has run",
    "path": "a stored file: none is stored under the made-up name",
    "pk (backoffice:export)": "exports exist only after a background export has run",
    "pk (moderation:lift)": "no resident is blocked here",
}

ROLES = ("anonymous", "resident", "manager", "administrator", "partner", "support")
STATES = (
    "not confirmed",
    "trial",
    "trial ended",
    "active",
    "past due",
    "suspended",
    "archived",
    "deleted",
)

_numbers = itertools.count(1)


@dataclass
class MatrixCity:
    ref: CityRef
    host: str
    values: dict[str, Any] = field(default_factory=dict)
    by_route: dict[tuple[str, str], Any] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)

    @property
    def model(self) -> City:
        return City.objects.get(pk=self.ref.id)


def build_matrix_city(operator: User) -> MatrixCity:
    number = next(_numbers)
    demo = replace(
        GDANSK,
        slug=f"macierz-{number}",
        name=f"Macierz {number}",
        admin_email=f"admin{number}@macierz.example",
    )
    seed_demo_city(demo)
    city = City.objects.get(slug=demo.slug)
    host = f"{demo.slug}.{settings.BASE_DOMAIN}"
    made = MatrixCity(ref=CityRef.from_city(city, host), host=host)
    with city_context(made.ref):
        _fill(made, demo.admin_email)
        for role in ROLES[1:-1]:
            made.clients[role] = _signed_in(made, made.values[f"_{role}"])
    made.clients["anonymous"] = Client(HTTP_HOST=host, raise_request_exception=False)
    made.clients["support"] = _support_visit(made, city, operator)
    return made


def _signed_in(made: MatrixCity, user: User) -> Client:
    client = Client(HTTP_HOST=made.host, raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _support_visit(made: MatrixCity, city: City, operator: User) -> Client:
    """An operator's support visit, entered through its one-time link as in production."""
    issued = grant_support_access(
        city=city,
        operator_id=operator.pk,
        operator_email=operator.email,
        reason="Macierz stanów",
        duration=timedelta(hours=8),
    )
    client = Client(HTTP_HOST=made.host, raise_request_exception=False)
    entered = enter_support(client, issued.url.split(made.host, 1)[1], operator)
    assert entered.status_code == 302, entered.content.decode()[:300]
    return client


def _fill(made: MatrixCity, admin_email: str) -> None:
    now = timezone.now()
    admin = User.objects.get(email=admin_email)
    manager = User.objects.filter(role=Role.PROJECT_MANAGER).order_by("pk").first()
    resident = User.objects.filter(role=Role.RESIDENT).order_by("pk").first()
    assert manager is not None and resident is not None
    partner = User.objects.create_user(
        f"konsultant{next(_numbers)}@partner.example",
        "correct horse battery",
        full_name="Konsultantka",
        role=Role.PARTNER,
    )
    # The demo lacks events and volunteering: a project of their own.
    extra = consultations.create_project(
        slug="wydarzenia", title={"pl": "Wydarzenia", "en": "Events"}, description={}
    )
    events_phase = consultations.add_phase(
        project=extra, method="events", starts_at=now - timedelta(days=5),
        ends_at=now + timedelta(days=5), title={"pl": "Spotkania"},
    )  # fmt: skip
    cause_phase = consultations.add_phase(
        project=extra, method="volunteering", starts_at=now + timedelta(days=6),
        ends_at=None, title={"pl": "Wolontariat"},
    )  # fmt: skip
    consultations.publish_project(project=extra)
    event = events.create_event(
        phase=events_phase,
        details=events.EventDetails(
            title={"pl": "Spacer"}, starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=2, hours=2)
        ),
    )  # fmt: skip
    cause = volunteering.add_cause(
        phase=cause_phase, title={"pl": "Sprzątanie"}, description={}, needed=3
    )
    group = people.create_group(name="Seniorzy")
    registration_field = people.create_field(
        key="dzielnica", label={"pl": "Dzielnica"}, kind="text"
    )
    page = Page.objects.order_by("pk").first()
    link = SiteLink.objects.order_by("pk").first() or branding.add_link(
        place="footer", label={"pl": "Urząd"}, url="https://gdansk.example/"
    )
    campaign = campaigns.create_campaign(
        author=admin, subject={"pl": "Zaproszenie"}, body={"pl": "<p>Zapraszamy</p>"},
        audience="everyone",
    )  # fmt: skip
    people.invite_staff(
        admin=admin, email="nowa@macierz.example", role=Role.PROJECT_MANAGER,
        accept_url=lambda token: f"/invitation/{token}/", city_name=made.ref.name,
    )  # fmt: skip
    invitation = Invitation.objects.order_by("-pk").first()

    def phase_of(method: str) -> Phase:
        found = Phase.objects.filter(method=method).order_by("pk").first()
        assert found is not None, f"the matrix city has no {method} phase"
        return found

    ideation = phase_of("ideation")
    idea = Idea.objects.filter(phase=ideation).order_by("pk").first()
    survey_page = SurveyPage.objects.order_by("pk").first()
    question = Question.objects.order_by("pk").first()
    rule = SkipRule.objects.order_by("pk").first()
    candidate = Candidate.objects.order_by("pk").first()
    paper = PaperVotes.objects.order_by("pk").first()
    folder = Folder.objects.order_by("pk").first()
    notification = Notification.objects.filter(recipient=resident).order_by("pk").first()
    domain = Domain.objects.filter(tenant_id=made.ref.id).order_by("pk").first()
    assert idea is not None and candidate is not None and domain is not None
    project: Project = ideation.project
    insight_project = project

    def pk(row: Any) -> int:
        return NOTHING if row is None else int(row.pk)

    made.values.update(
        {
            "_resident": resident,
            "_manager": manager,
            "_administrator": admin,
            "_partner": partner,
            "slug": project.slug,
            "phase_id": ideation.pk,
            "idea_id": idea.pk,
            "candidate_id": candidate.pk,
            "poll_id": pk(Poll.objects.order_by("pk").first()),
            "proposal_id": pk(Proposal.objects.order_by("pk").first()),
            "event_id": event.pk,
            "cause_id": cause.pk,
            "page_id": pk(survey_page),
            "question_id": pk(question),
            "rule_id": pk(rule),
            "entry_id": pk(paper),
            "notification_id": pk(notification),
            "user_pk": resident.pk,
            "link_id": link.pk,
            "domain_id": domain.pk,
            "fmt": "csv",
            "kind": "idea",
            "pk": idea.pk,
            "token": "nie-ma-takiego-klucza",
            "key": "nie-ma-takiego-klucza",
            "uidb36": "zz",
            "file_id": NOTHING,
            "theme_id": NOTHING,
            "path": "nie-ma-takiego-pliku.png",
        }
    )
    made.by_route.update(
        {
            ("folder", "slug"): folder.slug if folder else "nie-ma",
            ("backoffice:folder", "slug"): folder.slug if folder else "nie-ma",
            ("site-page", "slug"): page.slug if page else "nie-ma",
            ("backoffice:site-page", "slug"): page.slug if page else "nie-ma",
            ("backoffice:insight", "slug"): insight_project.slug,
            ("backoffice:dashboard-csv", "key"): metrics()[0].key,
            ("backoffice:campaign-template", "kind"): AutomaticEmail.values[0],
            ("backoffice:invitation", "pk"): pk(invitation),
            ("backoffice:registration", "pk"): registration_field.pk,
            ("backoffice:person", "pk"): resident.pk,
            ("backoffice:group", "pk"): group.pk,
            ("backoffice:export", "pk"): NOTHING,
            ("backoffice:campaign", "pk"): campaign.pk,
            ("moderation:lift", "pk"): NOTHING,
        }
    )
    for method, prefixes in {
        "survey": ("surveys", "backoffice:surveys"),
        "poll": ("polls", "backoffice:polls"),
        "voting": ("voting", "backoffice:voting"),
        "proposals": ("proposals", "backoffice:proposals"),
        "events": ("events", "backoffice:events"),
        "volunteering": ("volunteering", "backoffice:volunteering"),
    }.items():
        phase = events_phase if method == "events" else phase_of(method)
        for prefix in prefixes:
            made.by_route[(prefix, "phase_id")] = phase.pk


# --- States -------------------------------------------------------------------------------------


def _account(city: City, **fields: Any) -> None:
    account = billing.ensure_account(city=city)
    defaults: dict[str, Any] = {
        "plan": "",
        "subscription_status": "",
        "stripe_subscription_id": "",
        "grace_ends_at": None,
        "current_period_end": None,
        "suspended_by_billing": False,
        "trial_ends_at": timezone.now() + timedelta(days=10),
    }
    BillingAccount.objects.filter(pk=account.pk).update(**{**defaults, **fields})


def _status(city: City, status: str) -> City:
    if city.deleted_at is not None:
        city = restore_deleted_city(city=city)  # as it was when deleted, then moved on below
    if city.status == status:
        return city
    if status not in ALLOWED_TRANSITIONS[city.status]:
        city = change_city_status(city=city, status=CityStatus.SUSPENDED)
    return change_city_status(city=city, status=status)


def _opened(city: City, opened: bool) -> None:
    # No service closes an opened portal again (opening is for good); the matrix needs a
    # portal before its opening, so it sets the date back the way provisioning leaves it.
    City.objects.filter(pk=city.pk).update(opened_at=timezone.now() if opened else None)
    forget_city(city.pk)


def _not_confirmed(city: City) -> None:
    _opened(_status(city, CityStatus.TRIAL), False)
    _account(city)


def _trial(city: City) -> None:
    _opened(_status(city, CityStatus.TRIAL), True)
    _account(city)


def _trial_ended(city: City) -> None:
    _trial(city)
    _account(city, trial_ends_at=timezone.now() - timedelta(days=1))


def _active(city: City) -> None:
    _opened(_status(city, CityStatus.ACTIVE), True)
    _account(
        city, plan="standard", subscription_status=SubscriptionStatus.ACTIVE,
        stripe_subscription_id="sub_paid", current_period_end=timezone.now() + timedelta(days=20),
    )  # fmt: skip


def _past_due(city: City) -> None:
    _active(city)
    _account(
        city, plan="standard", subscription_status=SubscriptionStatus.PAST_DUE,
        stripe_subscription_id="sub_late", grace_ends_at=timezone.now() + timedelta(days=5),
    )  # fmt: skip


def _suspended(city: City) -> None:
    _active(city)
    _status(City.objects.get(pk=city.pk), CityStatus.SUSPENDED)


def _archived(city: City) -> None:
    _active(city)
    _status(City.objects.get(pk=city.pk), CityStatus.ARCHIVED)


def _deleted(city: City) -> None:
    _active(city)
    soft_delete_city(city=City.objects.get(pk=city.pk))


SET_STATE: dict[str, Callable[[City], None]] = {
    "not confirmed": _not_confirmed,
    "trial": _trial,
    "trial ended": _trial_ended,
    "active": _active,
    "past due": _past_due,
    "suspended": _suspended,
    "archived": _archived,
    "deleted": _deleted,
}
assert set(SET_STATE) == set(STATES)


def put_in_state(made: MatrixCity, state: str) -> None:
    """Through the lifecycle service (and billing's account for the billing states)."""
    SET_STATE[state](made.model)
    forget_city(made.ref.id)
