"""Partner organisations: created, consultants invited, commission rates changed."""

from __future__ import annotations

from decimal import Decimal

from ratusz.accounts.models import User
from ratusz.onboarding import services as onboarding
from ratusz.onboarding.models import PartnerOrganisation
from ratusz.platform.audit import Actor, Audit, audited


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
