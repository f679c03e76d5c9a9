"""`python -m ratusz <command>`: Django's management commands for Ratusz."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusz.settings.base")
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    try:
        execute_from_command_line(["python -m ratusz", *sys.argv[1:]])
    except OperationalError as exc:
        # A database that is down is an operating condition, not a bug: say so plainly.
        from django.conf import settings

        db = settings.DATABASES["default"]
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        sys.stderr.write(
            f"Error: cannot reach the database {db['NAME']!r} at {db['HOST']}:{db['PORT']} "
            f"({reason}).\nCheck that PostgreSQL is running and that DATABASE_URL is right.\n"
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
