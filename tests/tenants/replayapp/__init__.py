"""A throw-away city-plane app for the migration replay tests (tests/tenants/test_migration_replay.py):
installed only inside those tests, its migrations take a city through most kinds of schema
operation (0002), then through a data migration that runs Python (0003)."""
