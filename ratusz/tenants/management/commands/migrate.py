"""`migrate` is `migrate_schemas`: a single-schema migrate would leave cities behind."""

from ratusz.tenants.management.commands.migrate_schemas import Command

__all__ = ["Command"]
