"""Operator actions. Each one changes the fleet through the owning service (tenants'
lifecycle, entitlements, billing...) and records itself in the audit log in the same
transaction (`ratusz.platform.audit.audited`). One module per topic; this package names them
all, so callers say `services.suspend_city`."""

from ratusz.platform.audit import ActionRefused
from ratusz.platform.services.billing import (
    billing_mode,
    extend_city_trial,
    grant_city_credit,
    mark_city_billed_outside_stripe,
    record_city_invoice,
    record_city_payment,
)
from ratusz.platform.services.cities import (
    add_city_domain,
    archive_city,
    change_entitlements,
    delete_city,
    grant_support,
    purge_deleted_city,
    purge_due_cities,
    reactivate_city,
    remove_city_domain,
    rename_city,
    restore_city,
    suspend_city,
    verify_city_domain,
)
from ratusz.platform.services.fleet import (
    broadcast_announcement,
    retry_city_migration,
    start_fleet_migration,
    withdraw_announcement,
)
from ratusz.platform.services.onboarding import (
    resend_city_sign_in,
    retire_city_template,
    save_city_template,
)
from ratusz.platform.services.partners import (
    add_partner_organisation,
    change_commission_rate,
    invite_partner_consultant,
)

__all__ = [
    "ActionRefused",
    "add_city_domain",
    "add_partner_organisation",
    "archive_city",
    "billing_mode",
    "broadcast_announcement",
    "change_commission_rate",
    "change_entitlements",
    "delete_city",
    "extend_city_trial",
    "grant_city_credit",
    "grant_support",
    "invite_partner_consultant",
    "mark_city_billed_outside_stripe",
    "purge_deleted_city",
    "purge_due_cities",
    "reactivate_city",
    "record_city_invoice",
    "record_city_payment",
    "remove_city_domain",
    "rename_city",
    "resend_city_sign_in",
    "restore_city",
    "retire_city_template",
    "retry_city_migration",
    "save_city_template",
    "start_fleet_migration",
    "suspend_city",
    "verify_city_domain",
    "withdraw_announcement",
]
