"""The shape of a demo city's sample content: plain data, written the way a city and its
residents would write it, and turned into rows by `ratusz.platform.demo` through the services
production uses.

Time is relative to the day the city is seeded, so a demo city always looks current:
phases start and end `days` from today (negative: in the past), an idea is posted `day` days
ago at the clock time `at`, a comment `hours` after its idea, an official answer `days` after
its idea at the clock time `at`. Every moment must fall before today (local midnight) and an
idea's discussion inside its phase; the seeding refuses data that does not fit, so content
never depends on the hour the seed runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Roles, as stored on accounts (ratusz.accounts.models.Role values).
RESIDENT = "resident"
PROJECT_MANAGER = "project_manager"


@dataclass(frozen=True)
class DemoPerson:
    key: str  # how the content below refers to the person
    name: str
    email: str
    language: str
    role: str = RESIDENT


@dataclass(frozen=True)
class DemoTag:
    """A topic or an area: slug and name per city language."""

    slug: str
    name: dict[str, str]


@dataclass(frozen=True)
class DemoPlace:
    latitude: str  # decimal degrees, as text so no float rounding creeps in
    longitude: str
    address: str


@dataclass(frozen=True)
class DemoComment:
    author: str  # DemoPerson.key
    text: str
    hours: float  # after the idea was posted
    replies: tuple[DemoComment, ...] = ()


@dataclass(frozen=True)
class DemoAnswer:
    """A status change with the city's official answer (HTML)."""

    status: str  # IdeaStatus.code
    text: str
    days: int  # after the day the idea was posted
    at: str = "11:30"


@dataclass(frozen=True)
class DemoIdea:
    author: str  # DemoPerson.key
    title: str
    body: str  # HTML
    day: int  # days ago (1 = yesterday)
    at: str  # "HH:MM", local time
    topics: tuple[str, ...] = ()
    place: DemoPlace | None = None
    likes: int = 0
    dislikes: int = 0
    comments: tuple[DemoComment, ...] = ()
    answers: tuple[DemoAnswer, ...] = ()  # oldest first
    anonymous: bool = False


@dataclass(frozen=True)
class DemoPhase:
    method: str  # "information" | "ideation"
    title: dict[str, str]
    description: dict[str, str]
    starts: int  # days from today
    ends: int | None  # days from today; None: open-ended (last phase only)
    options: dict[str, Any] = field(default_factory=dict)
    permissions: dict[str, Any] = field(default_factory=dict)
    ideas: tuple[DemoIdea, ...] = ()


@dataclass(frozen=True)
class DemoFolder:
    slug: str
    title: dict[str, str]
    description: dict[str, str]


@dataclass(frozen=True)
class DemoProject:
    slug: str
    title: dict[str, str]
    description: dict[str, str]  # HTML
    phases: tuple[DemoPhase, ...]
    topics: tuple[str, ...] = ()
    area: str | None = None
    folder: str | None = None


@dataclass(frozen=True)
class DemoContent:
    # The project manager of every demo project, who answers officially; None: no projects.
    manager: DemoPerson | None = None
    residents: tuple[DemoPerson, ...] = ()  # people who write ideas and comments
    # Quiet residents who only like ideas (e-mail addresses are made from their names).
    supporters: tuple[str, ...] = ()
    supporter_language: str = "en"
    topics: tuple[DemoTag, ...] = ()
    areas: tuple[DemoTag, ...] = ()
    folders: tuple[DemoFolder, ...] = ()
    projects: tuple[DemoProject, ...] = ()
