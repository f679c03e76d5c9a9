"""Every operator action (`ratusz.platform.audit.OPERATOR_ACTIONS`, filled by `@audited`)
writes exactly one audit entry under its own name when it succeeds, and none when refused.

The list of actions drives the test: an action added to the console without a way to run it
here fails `test_every_operator_action_can_be_run_here`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.billing import services as billing
from ratusz.onboarding import services as onboarding
from ratusz.onboarding.city_templates import save_city_as_template
from ratusz.onboarding.models import PartnerOrganisation, Signup
from ratusz.onboarding.selectors import city_ref
from ratusz.platform import archive, services
from ratusz.platform.audit import OPERATOR_ACTIONS, ActionRefused, Actor, Audit, audited
from ratusz.platform.models import AuditEntry, FleetMigration, FleetMigrationCity, RunStatus
from ratusz.tenants import services as tenants
from ratusz.tenants.context import city_context
from ratusz.tenants.domains import add_custom_domain
from ratusz.tenants.models import City, CityStatus
from tests.conftest import CityUnderTest


@pytest.fixture(autouse=True)
def manual_billing(settings) -> None:
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_API_KEY = ""


@dataclass
class Scene:
    actor: Actor
    operator: User
    city: City
    under_test: CityUnderTest


def _reactivate(scene: Scene) -> Any:
    tenants.change_city_status(city=scene.city, status=CityStatus.SUSPENDED)
    return services.reactivate_city(actor=scene.actor, city=scene.city)


def _restore(scene: Scene) -> Any:
    tenants.soft_delete_city(city=scene.city)
    return services.restore_city(actor=scene.actor, city=scene.city)


def _purge(scene: Scene) -> Any:
    tenants.soft_delete_city(city=scene.city)  # rolled back with the test, schema and all
    return services.purge_deleted_city(actor=scene.actor, city=scene.city)


def _remove_domain(scene: Scene) -> Any:
    domain = add_custom_domain(city_id=scene.city.pk, domain="konsultacje.gdansk.pl")
    return services.remove_city_domain(actor=scene.actor, domain=domain)


def _verify_domain(scene: Scene) -> Any:
    domain = add_custom_domain(city_id=scene.city.pk, domain="konsultacje.gdansk.pl")
    return services.verify_city_domain(actor=scene.actor, domain=domain)


def _retry_migration(scene: Scene) -> Any:
    run = FleetMigration.objects.create(started_by_email="system", status=RunStatus.FAILED)
    row = FleetMigrationCity.objects.create(
        run=run,
        city_id=scene.city.pk,
        city_slug=scene.city.slug,
        schema_name=scene.city.schema_name,
        status=RunStatus.FAILED,
        error="boom",
    )
    return services.retry_city_migration(actor=scene.actor, row=row)


def _broadcast(scene: Scene) -> Any:
    now = timezone.now()
    return services.broadcast_announcement(
        actor=scene.actor, message={"en": "Maintenance"}, starts_at=now, ends_at=now + timedelta(1)
    )


def _withdraw(scene: Scene) -> Any:
    announcement = _broadcast(scene)
    return services.withdraw_announcement(actor=scene.actor, announcement=announcement)


def _payment(scene: Scene) -> Any:
    invoice = billing.record_invoice(
        city=scene.city,
        number="GD/2026/7",
        amount=10_000,
        currency="PLN",
        issued_at=timezone.now(),
        actor="test",
    )
    return services.record_city_payment(
        actor=scene.actor, city=scene.city, invoice=invoice, amount=10_000, paid_at=timezone.now()
    )


def _retire_template(scene: Scene) -> Any:
    save_city_as_template(
        city=city_ref(scene.city), code="audited-tpl", name={"en": "Audited"}, description={}
    )
    return services.retire_city_template(actor=scene.actor, code="audited-tpl")


def _resend_sign_in(scene: Scene) -> Any:
    email = "wojt@gdansk.example"
    Signup.objects.create(
        city_id=scene.city.pk,
        idempotency_key=uuid.uuid4(),
        organisation_name="Gdańsk",
        admin_name="Wójt",
        admin_email=email,
        terms_accepted_at=timezone.now(),
    )
    with city_context(scene.under_test.ref):
        User.objects.create_user(email, "correct horse battery", role=Role.ADMINISTRATOR)
    return services.resend_city_sign_in(actor=scene.actor, city=scene.city)


def _organisation() -> PartnerOrganisation:
    return onboarding.create_partner_organisation(name="Konsultanci")


RUN: dict[str, Callable[[Scene], Any]] = {
    "city.suspend": lambda s: services.suspend_city(actor=s.actor, city=s.city),
    "city.reactivate": _reactivate,
    "city.archive": lambda s: services.archive_city(actor=s.actor, city=s.city),
    "city.delete": lambda s: services.delete_city(actor=s.actor, city=s.city),
    "city.restore": _restore,
    "city.purge": _purge,
    "city.entitlements": lambda s: services.change_entitlements(
        actor=s.actor, city=s.city, plan=s.city.plan, limits={}, features={}
    ),
    "city.rename": lambda s: services.rename_city(actor=s.actor, city=s.city, slug="gdansk-nowy"),
    "city.support_access": lambda s: services.grant_support(
        actor=s.actor, city=s.city, reason="Ticket 7"
    ),
    "city.export": lambda s: archive.request_export(actor=s.actor, city=s.city),
    "domain.add": lambda s: services.add_city_domain(
        actor=s.actor, city=s.city, host="konsultacje.gdansk.pl"
    ),
    "domain.verify": _verify_domain,
    "domain.remove": _remove_domain,
    "fleet.migrate": lambda s: services.start_fleet_migration(actor=s.actor),
    "fleet.migrate_retry": _retry_migration,
    "announcement.broadcast": _broadcast,
    "announcement.withdraw": _withdraw,
    "billing.credit": lambda s: services.grant_city_credit(
        actor=s.actor, city=s.city, amount=500, currency="PLN", reason="Outage"
    ),
    "billing.extend_trial": lambda s: services.extend_city_trial(
        actor=s.actor, city=s.city, days=7
    ),
    "billing.outside_stripe": lambda s: services.mark_city_billed_outside_stripe(
        actor=s.actor, city=s.city, billed=True, note="Tender"
    ),
    "billing.invoice": lambda s: services.record_city_invoice(
        actor=s.actor,
        city=s.city,
        number="GD/2026/8",
        amount=10_000,
        currency="PLN",
        issued_at=timezone.now(),
    ),
    "billing.payment": _payment,
    "template.save": lambda s: services.save_city_template(
        actor=s.actor, city=s.city, code="audited-save", name={"en": "Saved"}
    ),
    "template.retire": _retire_template,
    "onboarding.resend_sign_in": _resend_sign_in,
    "partner.create": lambda s: services.add_partner_organisation(
        actor=s.actor, name="Doradcy", commission_rate=Decimal("0.10")
    ),
    "partner.invite": lambda s: services.invite_partner_consultant(
        actor=s.actor,
        organisation=_organisation(),
        email="konsultant@example.com",
        invited_by=s.operator,
    ),
    "partner.commission_rate": lambda s: services.change_commission_rate(
        actor=s.actor, organisation=_organisation(), commission_rate=Decimal("0.20")
    ),
}


def test_every_operator_action_can_be_run_here():
    assert set(RUN) == set(OPERATOR_ACTIONS)


@pytest.mark.parametrize("action", sorted(OPERATOR_ACTIONS))
def test_every_operator_action_writes_exactly_one_audit_entry(
    action, operator, city, fake_dns, mailoutbox
):
    scene = Scene(
        actor=Actor(id=operator.pk, email=operator.email, ip="198.51.100.7"),
        operator=operator,
        city=city.model,
        under_test=city,
    )
    RUN[action](scene)
    mine = AuditEntry.objects.filter(action=action)
    assert mine.count() == 1
    entry = mine.get()
    assert (entry.actor_id, entry.actor_email, entry.ip_address) == (
        operator.pk,
        operator.email,
        "198.51.100.7",
    )
    if action.startswith(("city.", "domain.", "billing.", "onboarding.", "fleet.migrate_")):
        assert entry.city_id == city.model.pk


# --- The wrapper itself ----------------------------------------------------------------------


def test_a_refused_action_records_nothing_and_a_lifecycle_refusal_reads_as_the_consoles(
    operator, city
):
    actor = Actor(id=operator.pk, email=operator.email)
    tenants.soft_delete_city(city=city.model)
    with pytest.raises(ActionRefused) as refused:
        services.delete_city(actor=actor, city=city.model)  # deleted already: tenants refuse
    assert refused.value.message == "This city is already deleted."
    assert isinstance(refused.value.__cause__, tenants.CityChangeRefused)
    assert not AuditEntry.objects.filter(action="city.delete").exists()


def test_the_entry_holds_what_the_action_filled_in(operator, city):
    actor = Actor(id=operator.pk, email=operator.email)
    services.suspend_city(actor=actor, city=city.model, reason="Unpaid")
    entry = AuditEntry.objects.get(action="city.suspend")
    assert (entry.before["status"], entry.after["status"], entry.reason) == (
        "active",
        "suspended",
        "Unpaid",
    )
    assert (entry.city_id, entry.city_slug) == (city.model.pk, city.model.slug)


def test_an_action_done_already_records_nothing_the_second_time(operator):
    actor = Actor(id=operator.pk, email=operator.email)
    now = timezone.now()
    announcement = services.broadcast_announcement(
        actor=actor, message={"en": "Hi"}, starts_at=now, ends_at=now + timedelta(hours=1)
    )
    services.withdraw_announcement(actor=actor, announcement=announcement)
    services.withdraw_announcement(actor=actor, announcement=announcement)
    assert AuditEntry.objects.filter(action="announcement.withdraw").count() == 1


def test_two_actions_may_not_share_a_name():
    with pytest.raises(ValueError, match=r"city\.suspend"):

        @audited("city.suspend")
        def again(audit: Audit, *, actor: Actor) -> None:
            return None
