"""Production settings plus the test-only views of tests/faults/shedding_views.py, mounted in
every city (tests/faults/test_load_shedding.py starts gunicorn with them)."""

from ratusz.settings.base import *  # noqa: F403

CITY_URLCONF = "tests.faults.shedding_views"
