"""How much a city uses, read from its own schema: the one city-plane selector the control
plane calls, inside the city's context (`with city_context(city): city_usage()`), so that the
console reads no city model itself (ARCHITECTURE.md §1).

Accounts, projects and stored files are counted here. What the apps hold is counted by the
apps: each participation method through its manifest's `usage_counts`, other city apps
(e-mail campaigns, notifications) through `register_usage_counts` in their `ready()`. Each
counter returns some of `COUNTED` ({"votes": 12}); the figures of every counter are added up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.storage import default_storage

from ratusz.accounts.models import Role, User
from ratusz.consultations.core.models import Project
from ratusz.consultations.core.registry import all_methods

# The window of the counts "in the last 30 days".
RECENT = timedelta(days=30)

# What the apps' counters may add to (what the console shows).
COUNTED = ("ideas", "votes", "emails_sent_30_days")

UsageCounter = Callable[[], Mapping[str, int]]

_counters: dict[str, UsageCounter] = {}


@dataclass(frozen=True)
class Usage:
    residents: int
    staff: int
    projects: int
    ideas: int
    votes: int  # submitted ballots and poll votes (paper votes are counts, not people)
    storage_bytes: int
    emails_sent_30_days: int

    @property
    def storage_mb(self) -> float:
        return round(self.storage_bytes / (1024 * 1024), 1)


def register_usage_counts(name: str, counter: UsageCounter) -> None:
    """Add a city app's counter (not a method's: methods declare theirs in their manifest)."""
    _counters[name] = counter


def unregister_usage_counts(name: str) -> None:
    _counters.pop(name, None)


def _counters_in_order() -> list[UsageCounter]:
    counters = [method.usage_counter() for method in all_methods()]
    return [counter for counter in counters if counter is not None] + list(_counters.values())


def _storage_bytes(path: str = "") -> int:
    try:
        folders, files = default_storage.listdir(path)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    total = 0
    for name in files:
        total += default_storage.size(f"{path}/{name}" if path else name)
    for folder in folders:
        total += _storage_bytes(f"{path}/{folder}" if path else folder)
    return total


def city_usage() -> Usage:
    """The usage of the city the code runs for (inside a request or `city_context`)."""
    counts = dict.fromkeys(COUNTED, 0)
    for counter in _counters_in_order():
        for key, count in counter().items():
            if key not in counts:
                raise ValueError(f"usage count {key!r} is none of {COUNTED}")
            counts[key] += count
    return Usage(
        residents=User.objects.filter(role=Role.RESIDENT, is_active=True).count(),
        staff=User.objects.filter(
            role__in=[Role.ADMINISTRATOR, Role.PROJECT_MANAGER], is_active=True
        ).count(),  # partner consultants and support visits are not the city's staff
        projects=Project.objects.count(),
        ideas=counts["ideas"],
        votes=counts["votes"],
        storage_bytes=_storage_bytes(),
        emails_sent_30_days=counts["emails_sent_30_days"],
    )
