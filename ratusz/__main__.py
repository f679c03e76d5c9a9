"""`python -m ratusz <command>`: Django's management commands for Ratusz."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusz.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0].replace("__main__.py", "ratusz"), *sys.argv[1:]])


if __name__ == "__main__":
    main()
