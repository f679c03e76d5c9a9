"""The operator console's partners (organisations, invitations, sign-in e-mails, the monthly
commission report with its CSV) and city templates (save a city as one, retire one): each
action confirmed, done through onboarding's services, audited."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.billing import services as billing
from ratusz.onboarding import services as onboarding
from ratusz.onboarding.city_templates import available_templates
from ratusz.onboarding.models import (
    CityTemplate,
    PartnerCity,
    PartnerInvitation,
    PartnerOrganisation,
    SignInLink,
)
from ratusz.onboarding.selectors import commission_amount, partner_commissions
from ratusz.platform.models import AuditEntry
from ratusz.tenants.context import city_context
from ratusz.tenants.models import City
from tests.conftest import force_login_with_second_factor

WARSAW = ZoneInfo("Europe/Warsaw")
MAY = datetime(2025, 5, 10, 12, tzinfo=WARSAW)


@pytest.fixture
def console(operator, control_client) -> Client:
    """A signed-in operator with two-factor authentication."""
    Authenticator.objects.create(user=operator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    force_login_with_second_factor(control_client, operator)
    return control_client


@pytest.fixture(autouse=True)
def manual_billing(settings) -> None:
    settings.STRIPE_SECRET_KEY = ""


@pytest.fixture
def organisation(db) -> PartnerOrganisation:
    return onboarding.create_partner_organisation(name="Konsultanci Sp. z o.o.")


@pytest.fixture
def other_organisation(db) -> PartnerOrganisation:
    return onboarding.create_partner_organisation(name="Inna Firma")


def html(response: Any) -> str:
    return response.content.decode()


def audit(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


def paid(city: Any, number: str, amount: int, currency: str, when: datetime) -> None:
    invoice = billing.record_invoice(
        city=city.model, number=number, amount=amount, currency=currency, issued_at=when
    )
    billing.record_payment(invoice=invoice, amount=amount, paid_at=when)


# --- Partner organisations -------------------------------------------------------------------


def test_partners_page_lists_organisations_with_their_city_counts(
    console, organisation, other_organisation, city, other_city
):
    PartnerCity.objects.create(organisation=organisation, city_id=city.model.pk)
    PartnerCity.objects.create(organisation=organisation, city_id=other_city.model.pk)
    response = console.get("/console/partners/")
    assert response.status_code == 200
    page = html(response)
    row = page[page.index("Konsultanci Sp. z o.o.") :]
    assert "<td>2</td>" in row[: row.index("</tr>")]
    row = page[page.index("Inna Firma") :]
    assert "<td>0</td>" in row[: row.index("</tr>")]


def test_create_a_partner_organisation_audited(console):
    response = console.post(
        "/console/partners/",
        {"name": "  Doradcy Północ ", "commission_rate": "12.5", "confirm": "on"},
    )
    organisation = PartnerOrganisation.objects.get(name="Doradcy Północ")
    assert response.status_code == 302
    assert response["Location"] == f"/console/partners/{organisation.pk}/"
    assert organisation.commission_rate == Decimal("12.50")
    [entry] = audit("partner.create")
    assert entry.after["name"] == "Doradcy Północ" and entry.after["commission_rate"] == "12.50"
    assert entry.actor_email == "operator@ratusz.example"


def test_the_default_commission_rate_is_ten_percent(organisation):
    organisation.refresh_from_db()
    assert organisation.commission_rate == Decimal("10.00")


def test_create_organisation_refuses_a_taken_name_and_bad_rates(console, organisation):
    response = console.post(
        "/console/partners/",
        {"name": "konsultanci sp. z o.o.", "commission_rate": "150", "confirm": "on"},
    )
    assert response.status_code == 400
    page = html(response)
    assert "A partner organisation with this name exists already." in page
    assert "Ensure this value is less than or equal to 100." in page
    assert PartnerOrganisation.objects.count() == 1
    assert audit("partner.create") == []


def test_invite_a_consultant_audited(console, organisation, mailoutbox, committed):
    with committed():
        response = console.post(
            f"/console/partners/{organisation.pk}/invite/",
            {"email": "Ola@Doradcy.example", "full_name": "Ola", "confirm": "on"},
        )
    assert response.status_code == 302
    invitation = PartnerInvitation.objects.get(organisation=organisation)
    assert invitation.email == "ola@doradcy.example"
    [entry] = audit("partner.invite")
    assert entry.after == {
        "organisation": organisation.pk,
        "invitation": invitation.pk,
        "email": "ola@doradcy.example",
    }
    assert "token" not in str(entry.after)
    page = html(console.get(f"/console/partners/{organisation.pk}/"))
    assert "ola@doradcy.example" in page


def test_invite_refuses_a_bad_address(console, organisation):
    response = console.post(
        f"/console/partners/{organisation.pk}/invite/", {"email": "not-an-address", "confirm": "on"}
    )
    assert response.status_code == 400
    assert "Enter a valid email address." in html(response)
    assert not PartnerInvitation.objects.exists()
    assert audit("partner.invite") == []


def test_change_the_commission_rate_audited(console, organisation):
    response = console.post(
        f"/console/partners/{organisation.pk}/rate/", {"commission_rate": "15", "confirm": "on"}
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.commission_rate == Decimal("15.00")
    [entry] = audit("partner.commission_rate")
    assert entry.before["commission_rate"] == "10.00" and entry.after["commission_rate"] == "15.00"
    response = console.post(
        f"/console/partners/{organisation.pk}/rate/", {"commission_rate": "-1", "confirm": "on"}
    )
    assert response.status_code == 400
    organisation.refresh_from_db()
    assert organisation.commission_rate == Decimal("15.00")


# --- Sign-in e-mail --------------------------------------------------------------------------


def test_resend_refused_for_a_city_not_made_by_the_wizard(console, city):
    response = console.post(f"/console/cities/{city.model.slug}/resend-sign-in/", {"confirm": "on"})
    assert response.status_code == 400
    assert "was not made through the sign-up wizard" in html(response)
    assert audit("onboarding.resend_sign_in") == []


def test_resend_the_sign_in_email_of_a_signed_up_city(console, organisation):
    result = onboarding.sign_up_city(
        idempotency_key=uuid.uuid4(),
        name="Gmina Zielona",
        country="PL",
        population=12_000,
        languages=["pl"],
        default_language="pl",
        slug="zielona-console",
        admin_name="Ewa Wójt",
        admin_email="ewa@zielona.example",
        plan="",
        template="idea-box",
    )
    PartnerCity.objects.create(organisation=organisation, city_id=result.city.pk)
    partner_page = html(console.get(f"/console/partners/{organisation.pk}/"))
    assert "/console/cities/zielona-console/resend-sign-in/" in partner_page
    links = SignInLink.objects.filter(city_id=result.city.pk, purpose="email").count()

    assert console.post("/console/cities/zielona-console/resend-sign-in/").status_code == 400
    assert SignInLink.objects.filter(city_id=result.city.pk, purpose="email").count() == links

    response = console.post(
        "/console/cities/zielona-console/resend-sign-in/",
        {"confirm": "on", "reason": "Lost in spam"},
    )
    assert response.status_code == 302
    assert SignInLink.objects.filter(city_id=result.city.pk, purpose="email").count() == links + 1
    [entry] = audit("onboarding.resend_sign_in")
    assert entry.city_id == result.city.pk and entry.after == {"email": "ewa@zielona.example"}
    assert entry.reason == "Lost in spam"


# --- Commission report -----------------------------------------------------------------------


@pytest.fixture
def may_payments(organisation, other_organisation, city, other_city) -> None:
    """Konsultanci set up Gdańsk, Inna Firma Springfield; both cities paid in May 2025."""
    PartnerCity.objects.create(organisation=organisation, city_id=city.model.pk)
    PartnerCity.objects.create(organisation=other_organisation, city_id=other_city.model.pk)
    other_organisation.commission_rate = Decimal("20")
    other_organisation.save()
    paid(city, "GD/1", 149_000, "PLN", MAY)
    paid(city, "GD/2", 10_001, "PLN", MAY)
    paid(city, "GD/3", 34_900, "EUR", MAY)
    paid(city, "GD/4", 99_999, "PLN", datetime(2025, 6, 1, 0, 30, tzinfo=WARSAW))  # June
    paid(other_city, "SP/1", 69_900, "EUR", MAY)


def test_commission_selector_counts_only_each_partners_own_cities(
    may_payments, organisation, other_organisation, city, other_city
):
    report = {row.organisation.pk: row for row in partner_commissions(year=2025, month=5)}
    mine, theirs = report[organisation.pk], report[other_organisation.pk]
    assert [c.city_id for c in mine.cities] == [city.model.pk]
    assert mine.paid == {"EUR": 34_900, "PLN": 159_001} and mine.invoices == 3
    assert mine.commission == {"EUR": 3_490, "PLN": 15_900}  # 10 %, half up
    assert [c.city_id for c in theirs.cities] == [other_city.model.pk]
    assert theirs.paid == {"EUR": 69_900}
    assert theirs.commission == {"EUR": 13_980}  # 20 %
    june = {row.organisation.pk: row for row in partner_commissions(year=2025, month=6)}
    assert june[organisation.pk].paid == {"PLN": 99_999}
    assert june[other_organisation.pk].paid == {}


def test_commission_rounds_half_up():
    assert commission_amount(15, Decimal("10")) == 2
    assert commission_amount(14, Decimal("10")) == 1
    assert commission_amount(0, Decimal("10")) == 0


def test_a_removed_city_still_counts_for_its_partner(organisation):
    PartnerCity.objects.create(organisation=organisation, city_id=987_654)
    [row] = partner_commissions(year=2025, month=5)
    assert [c.name for c in row.cities] == ["Removed city #987654"]


def test_commission_report_page_and_csv(console, may_payments, organisation):
    response = console.get("/console/partners/commissions/", {"month": "2025-05"})
    assert response.status_code == 200
    page = html(response)
    mine = page[page.index("Konsultanci Sp. z o.o.") :]
    mine = mine[: mine.index("</table>")]
    assert "Gdańsk" in mine and "Springfield" not in mine
    assert "1 590,01 PLN" in mine or "1,590.01 PLN" in mine
    assert "159,00 PLN" in mine or "159.00 PLN" in mine

    response = console.get("/console/partners/commissions/", {"month": "2025-05", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "partner-commissions-2025-05.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "month",
        "partner",
        "city_id",
        "city",
        "currency",
        "paid",
        "invoices",
        "rate",
        "commission",
    ]
    by_partner: dict[str, list[list[str]]] = {}
    for row in rows[1:]:
        by_partner.setdefault(row[1], []).append(row)
    assert {r[3] for r in by_partner["Konsultanci Sp. z o.o."]} == {"Gdańsk", "TOTAL"}
    assert {r[3] for r in by_partner["Inna Firma"]} == {"Springfield", "TOTAL"}
    totals = {(r[1], r[4]): (r[5], r[8]) for r in rows[1:] if r[3] == "TOTAL"}
    assert totals[("Konsultanci Sp. z o.o.", "PLN")] == ("1590.01", "159.00")
    assert totals[("Inna Firma", "EUR")] == ("699.00", "139.80")


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2999-01", "Choose this month or an earlier one."),
        ("2025-13", "Enter a month as YYYY-MM"),
        ("May 2025", "Enter a month as YYYY-MM"),
    ],
)
def test_commission_report_refuses_bad_months(console, organisation, month, message):
    response = console.get("/console/partners/commissions/", {"month": month})
    assert response.status_code == 400
    assert message in html(response)
    response = console.get("/console/partners/commissions/", {"month": month, "format": "csv"})
    assert response.status_code == 400
    assert not response["Content-Type"].startswith("text/csv")


def test_the_next_month_is_in_the_future(console, organisation):
    today = timezone.localdate()
    nxt = f"{today.year + (today.month == 12):04d}-{today.month % 12 + 1:02d}"
    assert console.get("/console/partners/commissions/", {"month": nxt}).status_code == 400
    this = f"{today.year:04d}-{today.month:02d}"
    assert console.get("/console/partners/commissions/", {"month": this}).status_code == 200


# --- City templates --------------------------------------------------------------------------


def test_templates_page_lists_builtin_and_saved_templates(console, city):
    CityTemplate.objects.create(
        code="rowerowa", name={"en": "Bike city"}, source_city_id=city.model.pk, position=9
    )
    page = html(console.get("/console/templates/"))
    assert "idea-box" in page and "Bike city" in page and "Gdańsk" in page


def test_save_a_city_as_a_template_audited(console, city):
    response = console.post(
        f"/console/cities/{city.model.slug}/save-template/",
        {"name": "Gdańsk 2025", "description": "Budżet obywatelski", "confirm": "on"},
    )
    assert response.status_code == 302
    template = CityTemplate.objects.get(code="gdansk-2025")
    assert template.source_city_id == city.model.pk
    assert template.name == {"en": "Gdańsk 2025"}
    assert template.description == {"en": "Budżet obywatelski"}
    assert "gdansk-2025" in [choice.code for choice in available_templates()]
    [entry] = audit("template.save")
    assert entry.city_id == city.model.pk and entry.after["code"] == "gdansk-2025"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Give the template a name."),
        ({"name": "   "}, "Give the template a name."),
        ({"name": "Clash", "code": "idea-box"}, "This identifier belongs to a built-in template."),
        ({"name": "!!!"}, "Choose an identifier"),
    ],
)
def test_save_template_bad_input(console, city, data, message):
    response = console.post(
        f"/console/cities/{city.model.slug}/save-template/", {**data, "confirm": "on"}
    )
    assert response.status_code == 400
    assert message in html(response)
    assert not CityTemplate.objects.filter(source_city_id=city.model.pk).exists()
    assert audit("template.save") == []


def test_saving_a_taken_identifier_keeps_the_first_template(console, city):
    console.post(
        f"/console/cities/{city.model.slug}/save-template/", {"name": "Moja", "confirm": "on"}
    )
    response = console.post(
        f"/console/cities/{city.model.slug}/save-template/",
        {"name": "Other", "code": "moja", "confirm": "on"},
    )
    assert response.status_code == 400
    assert "A template with this identifier already exists." in html(response)
    assert CityTemplate.objects.get(code="moja").name == {"en": "Moja"}
    assert len(audit("template.save")) == 1


def test_retire_templates_audited(console, city):
    CityTemplate.objects.create(code="rowerowa", name={"en": "Bike city"}, position=9)
    assert console.post("/console/templates/rowerowa/retire/").status_code == 400
    assert CityTemplate.objects.get(code="rowerowa").retired_at is None

    for code in ("rowerowa", "urban-planning"):
        response = console.post(f"/console/templates/{code}/retire/", {"confirm": "on"})
        assert response.status_code == 302
        assert CityTemplate.objects.get(code=code).retired_at is not None
    codes = [choice.code for choice in available_templates()]
    assert "rowerowa" not in codes and "urban-planning" not in codes
    assert {e.after["code"] for e in audit("template.retire")} == {"rowerowa", "urban-planning"}
    assert console.get("/console/templates/never-existed/retire/").status_code == 404


# --- Permissions -----------------------------------------------------------------------------


def _pages(city: Any, organisation: PartnerOrganisation) -> list[str]:
    return [
        "/console/partners/",
        f"/console/partners/{organisation.pk}/",
        "/console/partners/commissions/?month=2025-05",
        "/console/templates/",
        "/console/templates/idea-box/retire/",
        f"/console/cities/{city.model.slug}/save-template/",
        f"/console/cities/{city.model.slug}/resend-sign-in/",
    ]


def test_a_partner_cannot_reach_the_partner_and_template_pages(control_client, city, organisation):
    partner = User.objects.create_user("partner@example.com", "pw", role=Role.PARTNER)
    control_client.force_login(partner)
    for page in _pages(city, organisation):
        assert control_client.get(page).status_code == 403, page
    for page in (
        "/console/partners/",
        f"/console/partners/{organisation.pk}/invite/",
        f"/console/partners/{organisation.pk}/rate/",
        "/console/templates/idea-box/retire/",
    ):
        response = control_client.post(
            page,
            {"name": "X", "email": "x@example.com", "commission_rate": "99", "confirm": "on"},
        )
        assert response.status_code == 403, page
    organisation.refresh_from_db()
    assert organisation.commission_rate == Decimal("10.00")
    assert not PartnerInvitation.objects.exists()
    assert not CityTemplate.objects.filter(code="idea-box").exists()
    assert AuditEntry.objects.count() == 0


def test_a_city_administrator_never_reaches_these_pages(city, city_admin, organisation):
    client = city.client()
    with city_context(city.ref):
        client.force_login(city_admin)
    for page in _pages(city, organisation):
        assert client.get(page).status_code == 404, page
    assert client.post("/console/partners/", {"name": "X", "confirm": "on"}).status_code == 404
    assert PartnerOrganisation.objects.count() == 1
    assert City.objects.filter(slug=city.model.slug).exists()
