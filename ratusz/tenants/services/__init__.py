"""Writes on the city registry, one module per topic: provisioning, lifecycle (status, deletion,
purge), addresses (renames, domains). This package names them all."""

from ratusz.tenants.services.addresses import (
    redirect_target,
    remove_domain,
    rename_city_slug,
)
from ratusz.tenants.services.lifecycle import (
    ALLOWED_TRANSITIONS,
    CLOSED_STATES,
    DELETION_GRACE,
    OPEN_STATES,
    CityChangeRefused,
    TransitionRefused,
    change_city_status,
    cities_due_for_purge,
    end_trial,
    open_city,
    purge_city,
    reactivate_city,
    remove_city_files,
    restore_deleted_city,
    soft_delete_city,
)
from ratusz.tenants.services.provisioning import (
    ProvisionedCity,
    ProvisioningRefused,
    provision_city,
    supported_languages,
    validate_new_city,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "CLOSED_STATES",
    "DELETION_GRACE",
    "OPEN_STATES",
    "CityChangeRefused",
    "ProvisionedCity",
    "ProvisioningRefused",
    "TransitionRefused",
    "change_city_status",
    "cities_due_for_purge",
    "end_trial",
    "open_city",
    "provision_city",
    "purge_city",
    "reactivate_city",
    "redirect_target",
    "remove_city_files",
    "remove_domain",
    "rename_city_slug",
    "restore_deleted_city",
    "soft_delete_city",
    "supported_languages",
    "validate_new_city",
]
