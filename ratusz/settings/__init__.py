"""Settings: `base` holds everything; components pick real services or embedded defaults."""

from ratusz.settings.base import *  # noqa: F403
