"""Operator actions. Each one changes the fleet through the owning service (tenants'
lifecycle, entitlements...) and records itself in the audit log in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.billing import gateway
from ratusz.billing import selectors as billing_selectors
from ratusz.billing import services as billing
from ratusz.billing.models import BillingAccount, Credit, Invoice, Payment
from ratusz.onboarding import selectors as onboarding_selectors
from ratusz.onboarding import services as onboarding
from ratusz.onboarding.city_templates import retire_template, save_city_as_template
from ratusz.onboarding.models import CityTemplate, PartnerOrganisation, Signup
from ratusz.platform.audit import ActionRefused, Actor, Audit, audited
from ratusz.platform.models import FleetMigration, FleetMigrationCity, RunStatus
from ratusz.tenants import domains as custom_domains
from ratusz.tenants import services as tenants
from ratusz.tenants.announcements import forget_announcements
from ratusz.tenants.entitlements import set_entitlements
from ratusz.tenants.models import Announcement, City, CityStatus, Domain
from ratusz.tenants.support import IssuedGrant, grant_support_access
from ratusz.tenants.tasks import enqueue_for_city


def _change_status(audit: Audit, *, city: City, status: str | None) -> City:
    """Move the city to `status` (None: reactivate it in the open state it left)."""
    if audit.lock_city(city).deleted_at is not None:
        raise ActionRefused(_("This city is deleted: restore it first."))
    if status is None:
        return audit.changed(tenants.reactivate_city(city=city))
    return audit.changed(tenants.change_city_status(city=city, status=status))


@audited("city.suspend")
def suspend_city(audit: Audit, *, actor: Actor, city: City, reason: str = "") -> City:
    return _change_status(audit, city=city, status=CityStatus.SUSPENDED)


@audited("city.reactivate")
def reactivate_city(audit: Audit, *, actor: Actor, city: City, reason: str = "") -> City:
    """Reopen a suspended or archived city as it was: a trial stays a trial."""
    return _change_status(audit, city=city, status=None)


@audited("city.archive")
def archive_city(audit: Audit, *, actor: Actor, city: City, reason: str = "") -> City:
    return _change_status(audit, city=city, status=CityStatus.ARCHIVED)


@audited("city.delete")
def delete_city(
    audit: Audit,
    *,
    actor: Actor,
    city: City,
    reason: str = "",
    grace: timedelta = tenants.DELETION_GRACE,
) -> City:
    audit.lock_city(city)
    return audit.changed(tenants.soft_delete_city(city=city, grace=grace))


@audited("city.restore")
def restore_city(audit: Audit, *, actor: Actor, city: City, reason: str = "") -> City:
    audit.lock_city(city)
    return audit.changed(tenants.restore_deleted_city(city=city))


@audited("city.purge")
def purge_deleted_city(audit: Audit, *, actor: Actor, city: City, reason: str = "") -> None:
    """Remove a soft-deleted city for good, grace period or not (operators decide)."""
    locked = audit.lock_city(city)
    if locked.deleted_at is None:
        raise ActionRefused(_("Only a deleted city can be purged: delete it first."))
    tenants.purge_city(city=locked, remove_files=True)


def purge_due_cities(*, actor: Actor) -> list[str]:
    """Purge every city whose grace period is over; returns their slugs."""
    purged = []
    for city in tenants.cities_due_for_purge():
        purge_deleted_city(actor=actor, city=city, reason="grace period over")
        purged.append(city.slug)
    return purged


@audited("city.entitlements")
def change_entitlements(
    audit: Audit,
    *,
    actor: Actor,
    city: City,
    plan: str,
    limits: Mapping[str, int | None],
    features: Mapping[str, bool],
    reason: str = "",
) -> City:
    locked = audit.lock_city(city)
    return audit.changed(set_entitlements(city=locked, plan=plan, limits=limits, features=features))


@audited("city.rename")
def rename_city(audit: Audit, *, actor: Actor, city: City, slug: str, reason: str = "") -> City:
    """Raises ratusz.tenants.slugs.SlugRefused with the reason (taken, reserved, malformed)."""
    audit.lock_city(city)
    return audit.changed(tenants.rename_city_slug(city=city, slug=slug))


@audited("domain.remove")
def remove_city_domain(audit: Audit, *, actor: Actor, domain: Domain, reason: str = "") -> None:
    audit.lock_city(domain.tenant)
    audit.before = {"domain": domain.domain}
    tenants.remove_domain(domain=domain)


@audited("domain.add")
def add_city_domain(
    audit: Audit, *, actor: Actor, city: City, host: str, reason: str = ""
) -> Domain:
    """Add one of the city's own domains, unverified. Raises
    ratusz.tenants.domains.DomainRefused or ratusz.tenants.entitlements.FeatureNotAllowed."""
    added = custom_domains.add_custom_domain(city_id=city.pk, domain=host)
    audit.after = {"domain": added.domain}
    return added


@audited("domain.verify")
def verify_city_domain(
    audit: Audit,
    *,
    actor: Actor,
    domain: Domain,
    reason: str = "",
) -> custom_domains.Verification:
    """Look for the city's proof of ownership in DNS; found, the domain serves. Every check is
    audited with its outcome, verified or not. Raises DomainRefused or FeatureNotAllowed.

    The DNS lookups run inside the transaction: tenants' verify_custom_domain both looks up
    and marks the domain verified, with no separate lookup step to call first. It takes no
    row lock before its lookups, so the open transaction blocks nobody while they run."""
    city = audit.city = domain.tenant
    audit.before = {"domain": domain.domain, "verified_at": domain.verified_at}
    result = custom_domains.verify_custom_domain(city_id=city.pk, domain_id=domain.pk)
    audit.after = {
        "domain": domain.domain,
        "verified": result.verified,
        "verified_at": result.domain.verified_at,
    }
    return result


@audited("city.support_access")
def grant_support(
    audit: Audit,
    *,
    actor: Actor,
    city: City,
    reason: str,
    duration: timedelta = timedelta(hours=1),
) -> IssuedGrant:
    """Raises ratusz.tenants.support.SupportAccessRefused (no reason, duration out of range)."""
    if actor.id is None:
        raise ActionRefused(_("Support access is given to a person."))
    issued = grant_support_access(
        city=city,
        operator_id=actor.id,
        operator_email=actor.email,
        reason=reason,
        duration=duration,
    )
    audit.after = {"grant": issued.grant.pk, "expires_at": issued.grant.expires_at}
    return issued


# --- Fleet migrations --------------------------------------------------------------------


@audited("fleet.migrate")
def start_fleet_migration(audit: Audit, *, actor: Actor) -> FleetMigration:
    """Queue a migration of the public and template schemas and then of every city."""
    from ratusz.platform import tasks

    if FleetMigration.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
        raise ActionRefused(_("A fleet migration is already running."))
    run = FleetMigration.objects.create(started_by_id=actor.id, started_by_email=actor.email)
    audit.after = {"run": run.pk}
    run_id = run.pk
    transaction.on_commit(
        lambda: enqueue_for_city(settings.PUBLIC_SCHEMA_NAME, tasks.run_fleet_migration, run_id)
    )
    return run


@audited("fleet.migrate_retry")
def retry_city_migration(
    audit: Audit, *, actor: Actor, row: FleetMigrationCity
) -> FleetMigrationCity:
    from ratusz.platform import tasks

    locked = FleetMigrationCity.objects.select_for_update().get(pk=row.pk)
    if locked.status != RunStatus.FAILED:
        raise ActionRefused(_("Only a city whose migration failed can be retried."))
    locked.status = RunStatus.QUEUED
    locked.error = ""
    locked.save(update_fields=["status", "error", "updated_at"])
    audit.city = City.objects.filter(pk=locked.city_id).first()
    audit.after = {"run": locked.run_id, "schema": locked.schema_name}
    row_id = locked.pk
    transaction.on_commit(
        lambda: enqueue_for_city(settings.PUBLIC_SCHEMA_NAME, tasks.migrate_one_city, row_id)
    )
    return locked


# --- Announcements -------------------------------------------------------------------------


@audited("announcement.broadcast")
def broadcast_announcement(
    audit: Audit,
    *,
    actor: Actor,
    message: dict[str, str],
    starts_at: datetime,
    ends_at: datetime,
    level: str = "info",
    city_ids: list[int] | None = None,
) -> Announcement:
    """Show a banner on every city portal (city_ids None) or on the cities given."""
    texts = {code: text.strip() for code, text in message.items() if text.strip()}
    if not texts:
        raise ActionRefused(_("Write the announcement in at least one language."))
    if ends_at <= starts_at:
        raise ActionRefused(_("The announcement must end after it starts."))
    if city_ids is not None and not city_ids:
        raise ActionRefused(_("No city matches the chosen filters."))
    announcement = Announcement.objects.create(
        message=texts,
        level=level,
        all_cities=city_ids is None,
        city_ids=sorted(city_ids or []),
        starts_at=starts_at,
        ends_at=ends_at,
        created_by_id=actor.id,
    )
    audit.after = {
        "announcement": announcement.pk,
        "message": texts,
        "cities": "all" if city_ids is None else len(city_ids),
        "starts_at": starts_at,
        "ends_at": ends_at,
    }
    transaction.on_commit(forget_announcements)
    return announcement


@audited("announcement.withdraw")
def withdraw_announcement(
    audit: Audit, *, actor: Actor, announcement: Announcement
) -> Announcement:
    if announcement.withdrawn_at is not None:
        audit.skip()  # withdrawn already: nothing to do, nothing to record
        return announcement
    announcement.withdrawn_at = timezone.now()
    announcement.save(update_fields=["withdrawn_at"])
    audit.after = {"announcement": announcement.pk}
    transaction.on_commit(forget_announcements)
    return announcement


# --- Billing of a city: billing's services do the work, the audit log records it -----------


def billing_mode(account: BillingAccount | None) -> str:
    """How a city is billed: "outside" Stripe (by hand, on the operator's say), through
    "stripe", or "manual" when no Stripe key is configured."""
    if account is not None and account.billed_outside_stripe:
        return "outside"
    return "stripe" if gateway.stripe_enabled() else "manual"


def _refuse_if_billed_through_stripe(city: City) -> None:
    # Stripe issues a Stripe-billed city's invoices; hand-made ones would double them.
    if billing_mode(billing_selectors.account_for(city.pk)) == "stripe":
        raise billing.BillingRefused(
            _(
                "This city is billed through Stripe, which issues its invoices. Mark it as "
                "billed outside Stripe first."
            )
        )


@audited("billing.credit")
def grant_city_credit(
    audit: Audit, *, actor: Actor, city: City, amount: int, currency: str, reason: str
) -> Credit:
    """Raises ratusz.billing.services.BillingRefused (no amount, no reason)."""
    credit = billing.grant_credit(
        city=city, amount=amount, currency=currency, reason=reason, actor=actor.email
    )
    audit.after = {"credit": credit.pk, "amount": credit.amount, "currency": credit.currency}
    audit.reason = credit.reason
    return credit


@audited("billing.extend_trial")
def extend_city_trial(
    audit: Audit, *, actor: Actor, city: City, days: int, reason: str = ""
) -> BillingAccount:
    """Raises ratusz.billing.services.BillingRefused (days out of range)."""
    before = billing_selectors.trial_ends_at(city, billing_selectors.account_for(city.pk))
    account = billing.extend_trial(city=city, days=days, actor=actor.email)
    audit.before = {"trial_ends_at": before}
    audit.after = {"trial_ends_at": account.trial_ends_at, "days": days}
    return account


@audited("billing.outside_stripe")
def mark_city_billed_outside_stripe(
    audit: Audit, *, actor: Actor, city: City, billed: bool, note: str = ""
) -> BillingAccount:
    current = billing_selectors.account_for(city.pk)
    audit.before = {
        "billed_outside_stripe": bool(current and current.billed_outside_stripe),
        "note": current.outside_note if current else "",
    }
    account = billing.mark_billed_outside_stripe(
        city=city, billed=billed, note=note, actor=actor.email
    )
    audit.after = {
        "billed_outside_stripe": account.billed_outside_stripe,
        "note": account.outside_note,
    }
    audit.reason = account.outside_note
    return account


@audited("billing.invoice")
def record_city_invoice(
    audit: Audit,
    *,
    actor: Actor,
    city: City,
    number: str,
    amount: int,
    currency: str,
    issued_at: datetime,
    due_at: datetime | None = None,
    description: str = "",
    pdf_url: str = "",
) -> Invoice:
    """An invoice issued outside Stripe. Raises ratusz.billing.services.BillingRefused (the
    city is billed through Stripe, the number is taken, the amount is not positive)."""
    _refuse_if_billed_through_stripe(city)
    invoice = billing.record_invoice(
        city=city,
        number=number,
        amount=amount,
        currency=currency,
        issued_at=issued_at,
        due_at=due_at,
        description=description,
        pdf_url=pdf_url,
        actor=actor.email,
    )
    audit.after = {
        "invoice": invoice.pk,
        "number": invoice.number,
        "amount": invoice.amount_due,
        "currency": invoice.currency,
    }
    return invoice


@audited("billing.payment")
def record_city_payment(
    audit: Audit,
    *,
    actor: Actor,
    city: City,
    invoice: Invoice,
    amount: int,
    paid_at: datetime,
    reference: str = "",
) -> Payment:
    """A payment against one of the city's invoices (`invoice` is refreshed). Raises
    ratusz.billing.services.BillingRefused (billed through Stripe, invoice closed...)."""
    _refuse_if_billed_through_stripe(city)
    payment = billing.record_payment(
        invoice=invoice, amount=amount, paid_at=paid_at, reference=reference, actor=actor.email
    )
    audit.after = {
        "invoice": invoice.pk,
        "number": invoice.number,
        "amount": payment.amount,
        "invoice_status": invoice.status,
    }
    audit.reason = payment.reference
    return payment


# --- Onboarding of a city ------------------------------------------------------------------


@audited("template.save")
def save_city_template(
    audit: Audit,
    *,
    actor: Actor,
    city: City,
    code: str,
    name: dict[str, str],
    description: dict[str, str] | None = None,
) -> CityTemplate:
    """New cities can start from this city's content. Raises
    ratusz.onboarding.city_templates.TemplateRefused (code taken or built in)."""
    template = save_city_as_template(
        city=onboarding_selectors.city_ref(city),
        code=code,
        name=name,
        description=description or {},
    )
    audit.after = {"code": template.code, "name": template.name}
    return template


@audited("template.retire")
def retire_city_template(
    audit: Audit, *, actor: Actor, code: str, reason: str = ""
) -> CityTemplate:
    """Raises ratusz.onboarding.city_templates.TemplateRefused (no such template)."""
    retired = retire_template(code=code)
    audit.after = {"code": retired.code, "retired_at": retired.retired_at}
    return retired


@audited("onboarding.resend_sign_in")
def resend_city_sign_in(audit: Audit, *, actor: Actor, city: City, reason: str = "") -> Signup:
    """E-mail the city's first administrator a new sign-in link; returns the sign-up it
    came from. Raises ActionRefused when there is no such administrator to e-mail."""
    signup = Signup.objects.filter(city_id=city.pk).first()
    if signup is None:
        raise ActionRefused(
            _(
                "This city was not made through the sign-up wizard: there is no first "
                "administrator to e-mail. Invite one from the city's back office instead."
            )
        )
    try:
        onboarding.resend_sign_in_email(city=city)
    except User.DoesNotExist as error:  # the administrator's account is gone from the city
        raise ActionRefused(
            _("The city's first administrator (%(email)s) no longer has an account.")
            % {"email": signup.admin_email}
        ) from error
    audit.after = {"email": signup.admin_email}
    return signup


# --- Partners ------------------------------------------------------------------------------


@audited("partner.create")
def add_partner_organisation(
    audit: Audit, *, actor: Actor, name: str, commission_rate: Decimal
) -> PartnerOrganisation:
    organisation = onboarding.create_partner_organisation(name=name)
    organisation.commission_rate = commission_rate
    organisation.save(update_fields=["commission_rate"])
    audit.after = {
        "organisation": organisation.pk,
        "name": organisation.name,
        "commission_rate": organisation.commission_rate,
    }
    return organisation


@audited("partner.invite")
def invite_partner_consultant(
    audit: Audit,
    *,
    actor: Actor,
    organisation: PartnerOrganisation,
    email: str,
    full_name: str = "",
    invited_by: User,
) -> onboarding.IssuedPartnerInvitation:
    """The invitation e-mail goes on commit. Raises ratusz.onboarding.services.PartnerRefused."""
    issued = onboarding.invite_partner(
        organisation=organisation, email=email, full_name=full_name, invited_by=invited_by
    )
    audit.after = {
        "organisation": organisation.pk,
        "invitation": issued.invitation.pk,
        "email": issued.invitation.email,
    }
    return issued


@audited("partner.commission_rate")
def change_commission_rate(
    audit: Audit, *, actor: Actor, organisation: PartnerOrganisation, commission_rate: Decimal
) -> PartnerOrganisation:
    # Locked, so the "before" in the audit log is the rate this change replaced.
    locked = PartnerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    audit.before = {"organisation": locked.pk, "commission_rate": locked.commission_rate}
    locked.commission_rate = commission_rate
    locked.save(update_fields=["commission_rate"])
    audit.after = {"organisation": locked.pk, "commission_rate": locked.commission_rate}
    return locked
