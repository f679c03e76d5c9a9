"""The product's settings plus `benchapp`, a city-plane app whose migrations
benchmarks/migrate.py applies across every city. Used only by that benchmark."""

from ratusz.settings.base import *  # noqa: F403
from ratusz.settings.base import INSTALLED_APPS, TENANT_APPS

TENANT_APPS = [*TENANT_APPS, "benchapp"]
INSTALLED_APPS = [*INSTALLED_APPS, "benchapp"]
