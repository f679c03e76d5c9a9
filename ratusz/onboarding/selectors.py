"""Reads of onboarding: a city's onboarding checklist (from its real state, read inside the
city's context), partners' cities and their dashboards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ratusz.accounts.models import Role, User
from ratusz.billing.plans import PLANS
from ratusz.billing.selectors import account_for
from ratusz.consultations.branding.models import Branding, Page, PageKind, PageStatus
from ratusz.consultations.ideation.models import Comment, Idea, StatusChange
from ratusz.consultations.models import Project, PublicationStatus
from ratusz.onboarding.models import PartnerCity, PartnerMembership, PartnerOrganisation, Signup
from ratusz.tenants.context import CityRef, city_context
from ratusz.tenants.models import City, Domain

PARTICIPANTS_GOAL = 10


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: Promise
    done: bool


def city_ref(city: City) -> CityRef:
    domain = Domain.objects.filter(tenant=city, is_primary=True).values_list("domain", flat=True)
    return CityRef.from_city(city, domain.first() or "")


def participant_count() -> int:
    """People who took part in the current city: posted an idea or a comment."""
    authors: set[int | None] = set(Idea.objects.values_list("author_id", flat=True))
    authors |= set(Comment.objects.values_list("author_id", flat=True))
    authors.discard(None)
    return len(authors)


def onboarding_checklist(city: City) -> list[ChecklistItem]:
    """What a new city has done of its first steps, read from the city's own data."""
    with city_context(city_ref(city)):
        branding_set = Branding.objects.exists()
        statement = Page.objects.filter(
            kind=PageKind.ACCESSIBILITY, status=PageStatus.PUBLISHED
        ).exists()
        published = Project.objects.filter(status=PublicationStatus.PUBLISHED).exists()
        participants = participant_count()
        answered = StatusChange.objects.exclude(answer="").exists()
    return [
        ChecklistItem("branding", _("Branding set"), branding_set),
        ChecklistItem("languages", _("Languages chosen"), bool(city.languages)),
        ChecklistItem("accessibility", _("Accessibility statement published"), statement),
        ChecklistItem("project", _("First project published"), published),
        ChecklistItem(
            "participants", _("First 10 participants"), participants >= PARTICIPANTS_GOAL
        ),
        ChecklistItem("answer", _("First official answer"), answered),
    ]


def last_activity(city: City) -> datetime | None:
    """When residents last posted or commented in the city."""
    with city_context(city_ref(city)):
        ideas = Idea.objects.aggregate(last=Max("created_at"))["last"]
        comments = Comment.objects.aggregate(last=Max("created_at"))["last"]
    moments = [moment for moment in (ideas, comments) if moment is not None]
    return max(moments) if moments else None


def partner_organisation(user: object) -> PartnerOrganisation | None:
    """The organisation of a signed-in partner consultant (None for anyone else)."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return None
    if user.role != Role.PARTNER:
        return None
    membership = PartnerMembership.objects.filter(user=user).select_related("organisation").first()
    return membership.organisation if membership else None


@dataclass(frozen=True)
class PartnerCityRow:
    link: PartnerCity
    city: City
    stage: str
    plan: str
    checklist: list[ChecklistItem]
    last_activity: datetime | None

    @property
    def done(self) -> int:
        return sum(item.done for item in self.checklist)


def _stage(city: City, signup: Signup | None, link: PartnerCity) -> str:
    if not link.has_access:
        return str(link.get_access_display())
    if signup is not None and signup.confirmed_at is None:
        return str(_("Waiting for the city to confirm its e-mail"))
    return str(city.get_status_display())


def _plan_name(city: City) -> str:
    account = account_for(city.pk)
    code = (account.plan if account else "") or city.plan
    return str(PLANS[code].name) if code in PLANS else str(_("Free trial"))


def partner_cities(organisation: PartnerOrganisation) -> list[PartnerCityRow]:
    """The municipalities `organisation` set up (only those), for its dashboard."""
    links = list(PartnerCity.objects.filter(organisation=organisation))
    cities = City.objects.in_bulk([link.city_id for link in links])
    signups = {s.city_id: s for s in Signup.objects.filter(city_id__in=list(cities))}
    rows = []
    for link in links:
        city = cities.get(link.city_id)
        if city is None:  # removed since: attribution stays, the dashboard skips it
            continue
        rows.append(
            PartnerCityRow(
                link=link,
                city=city,
                stage=_stage(city, signups.get(city.pk), link),
                plan=_plan_name(city),
                checklist=onboarding_checklist(city),
                last_activity=last_activity(city),
            )
        )
    return rows


def partner_city(organisation: PartnerOrganisation, city_id: int) -> PartnerCity | None:
    """The link between `organisation` and city `city_id`, if the organisation set it up."""
    return PartnerCity.objects.filter(organisation=organisation, city_id=city_id).first()


def is_confirmed(city_id: int) -> bool:
    """Whether the city's portal may be public: confirmed by e-mail (or not signed up through
    the wizard at all, e.g. provisioned by an operator)."""
    signup = Signup.objects.filter(city_id=city_id).only("confirmed_at").first()
    return signup is None or signup.confirmed_at is not None


def city_partner_accounts() -> list[User]:
    """The partner accounts of the current city (run in the city's context)."""
    return list(User.objects.filter(role=Role.PARTNER).order_by("email"))
