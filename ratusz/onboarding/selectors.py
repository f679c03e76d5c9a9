"""Reads of onboarding: a city's onboarding checklist (from its real state, read inside the
city's context), partners' cities and their dashboards, and partners' monthly commissions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ratusz.accounts.models import Role, User
from ratusz.billing.plans import PLANS
from ratusz.billing.selectors import account_for, paid_invoices_for_month
from ratusz.consultations import progress
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


def onboarding_checklist(city: City) -> list[ChecklistItem]:
    """What a new city has done of its first steps, read from the city's own data (a
    city-plane selector, in the city's context)."""
    with city_context(city_ref(city)):
        steps = progress.first_steps()
    return [
        ChecklistItem("branding", _("Branding set"), steps.branding_set),
        ChecklistItem("languages", _("Languages chosen"), bool(city.languages)),
        ChecklistItem(
            "accessibility", _("Accessibility statement published"), steps.accessibility_statement
        ),
        ChecklistItem("project", _("First project published"), steps.project_published),
        ChecklistItem(
            "participants",
            _("First 10 participants"),
            steps.participants >= PARTICIPANTS_GOAL,
        ),
        ChecklistItem("answer", _("First official answer"), steps.official_answer),
    ]


def last_activity(city: City) -> datetime | None:
    """When residents last posted or commented in the city."""
    with city_context(city_ref(city)):
        return progress.last_activity()


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


@dataclass(frozen=True)
class OrganisationCity:
    link: PartnerCity
    city: City | None  # None: the city has been removed since (attribution stays)
    signed_up: bool  # made through the wizard, so a sign-in e-mail can be sent again


def organisation_cities(organisation: PartnerOrganisation) -> list[OrganisationCity]:
    """The cities `organisation` set up (only those), for the operator console: no reads
    inside the cities' schemas."""
    links = list(PartnerCity.objects.filter(organisation=organisation))
    ids = [link.city_id for link in links]
    cities = City.objects.in_bulk(ids)
    signed_up = set(Signup.objects.filter(city_id__in=ids).values_list("city_id", flat=True))
    return [
        OrganisationCity(
            link=link, city=cities.get(link.city_id), signed_up=link.city_id in signed_up
        )
        for link in links
    ]


# --- partner commissions --------------------------------------------------------------------


def partner_organisations() -> QuerySet[PartnerOrganisation]:
    """Every partner organisation with how many cities it set up and how many consultants it has."""
    return PartnerOrganisation.objects.annotate(
        city_count=Count("cities", distinct=True), member_count=Count("members", distinct=True)
    ).order_by("name")


def commission_amount(paid: int, rate: Decimal) -> int:
    """`rate` percent of `paid` (minor units), rounded half up to a whole grosz or cent."""
    return int((Decimal(paid) * rate / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class CommissionCity:
    city_id: int
    name: str  # the city's name, or its id when the city has been removed since
    slug: str
    paid: dict[str, int] = field(default_factory=dict)  # currency -> minor units
    invoices: int = 0


@dataclass
class PartnerCommission:
    organisation: PartnerOrganisation
    rate: Decimal
    cities: list[CommissionCity]
    paid: dict[str, int] = field(default_factory=dict)  # currency -> minor units
    invoices: int = 0

    @property
    def commission(self) -> dict[str, int]:
        return {
            currency: commission_amount(amount, self.rate)
            for currency, amount in sorted(self.paid.items())
        }


def partner_commissions(*, year: int, month: int) -> list[PartnerCommission]:
    """For each partner organisation: the cities it set up (attribution outlives the partner's
    access and the city itself), what they paid in the month by currency, and the commission
    at the organisation's rate. A city counts for the one organisation that set it up only."""
    organisations = list(PartnerOrganisation.objects.order_by("name"))
    links = list(PartnerCity.objects.order_by("created_at", "pk"))
    cities = City.objects.in_bulk([link.city_id for link in links])
    rows: dict[int, CommissionCity] = {}
    by_organisation: dict[int, list[CommissionCity]] = {o.pk: [] for o in organisations}
    for link in links:
        city = cities.get(link.city_id)
        row = CommissionCity(
            city_id=link.city_id,
            name=city.name if city else str(_("Removed city #%(id)s") % {"id": link.city_id}),
            slug=city.slug if city else "",
        )
        rows[link.city_id] = row
        by_organisation[link.organisation_id].append(row)
    for revenue in paid_invoices_for_month(city_ids=list(rows), year=year, month=month):
        row = rows[revenue.city_id]
        row.paid[revenue.currency] = row.paid.get(revenue.currency, 0) + revenue.amount_paid
        row.invoices += revenue.invoices
    report = []
    for organisation in organisations:
        own = by_organisation[organisation.pk]
        paid: dict[str, int] = {}
        for row in own:
            for currency, amount in row.paid.items():
                paid[currency] = paid.get(currency, 0) + amount
        report.append(
            PartnerCommission(
                organisation=organisation,
                rate=organisation.commission_rate,
                cities=own,
                paid=dict(sorted(paid.items())),
                invoices=sum(row.invoices for row in own),
            )
        )
    return report
