"""The shape of a demo city's sample content: plain data, written the way a city and its
residents would write it, and turned into rows by `ratusz.demo.cities` through the services
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


# --- Other participation methods (ratusz.demo.methods writes them) -----------------
# Residents take part "now" through the methods' services (their phase must be open today);
# the dates of what they did are then moved into the phase's past, as for ideas.


@dataclass(frozen=True)
class DemoQuestion:
    kind: str  # surveys.QuestionKind value: "single", "multiple", "scale", "long_text"...
    text: dict[str, str]
    # Answers to choose from (their keys are c1, c2... in this order), per city language.
    choices: tuple[dict[str, str], ...] = ()
    required: bool = False
    scale: tuple[int, int] = (1, 5)  # "scale" questions: the lowest and highest value
    scale_labels: tuple[dict[str, str], dict[str, str]] = ({}, {})


@dataclass(frozen=True)
class DemoSkip:
    """When question number `question` (0-based, on its page) is answered `value` (a choice
    key such as "c2"), go to page number `to_page` (0-based); None: to the end."""

    question: int
    value: str
    to_page: int | None


@dataclass(frozen=True)
class DemoSurveyPage:
    title: dict[str, str]
    questions: tuple[DemoQuestion, ...]
    skips: tuple[DemoSkip, ...] = ()


@dataclass(frozen=True)
class DemoSurveyResponse:
    """One person's answers, question by question in the order of the pages they see: a
    choice key ("c2"), a list of keys (multiple choice), a number (scale) or a text; None
    leaves an optional question unanswered. Pages a skip rule jumps over have no answers."""

    person: str  # DemoPerson.key
    answers: tuple[Any, ...]
    day: int  # days ago


@dataclass(frozen=True)
class DemoSurvey:
    intro: dict[str, str]
    thank_you: dict[str, str]
    pages: tuple[DemoSurveyPage, ...]
    responses: tuple[DemoSurveyResponse, ...] = ()


@dataclass(frozen=True)
class DemoPoll:
    question: dict[str, str]
    choices: tuple[dict[str, str], ...]
    # How many residents (picked at random, repeatably) chose each answer, in order.
    votes: tuple[int, ...]
    multiple: bool = False


@dataclass(frozen=True)
class DemoProposal:
    """A resident's proposal (in their own language: residents write single-language)."""

    author: str  # DemoPerson.key
    title: str
    body: str  # HTML
    day: int  # days ago
    supporters: int  # residents (picked at random) who support it


@dataclass(frozen=True)
class DemoCause:
    title: dict[str, str]
    description: dict[str, str]  # HTML
    needed: int
    volunteers: tuple[str, ...] = ()  # DemoPerson.key of those who signed up


@dataclass(frozen=True)
class DemoBallot:
    """A participatory-budget vote on the accepted ideas of the project's ideation phase (the
    one before it): each idea's cost, and the baskets residents submitted."""

    costs: dict[str, int]  # idea title -> cost, in whole units of the city's currency
    baskets: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (DemoPerson.key, idea titles)


@dataclass(frozen=True)
class DemoEvent:
    """An event the city organises, `days` from today at `at` (local time)."""

    title: dict[str, str]
    description: dict[str, str]  # HTML
    place: dict[str, str]
    days: int
    at: str
    hours: float
    capacity: int | None = None
    latitude: str | None = None
    longitude: str | None = None
    # How many residents registered (picked at random, repeatably); past the capacity they
    # join the waiting list.
    registrations: int = 0


@dataclass(frozen=True)
class DemoPhase:
    method: str  # a participation method's key: "information", "ideation", "survey"...
    title: dict[str, str]
    description: dict[str, str]
    starts: int  # days from today
    ends: int | None  # days from today; None: open-ended (last phase only)
    options: dict[str, Any] = field(default_factory=dict)
    permissions: dict[str, Any] = field(default_factory=dict)
    ideas: tuple[DemoIdea, ...] = ()
    # What the other methods hold (only the one of `method` is used).
    survey: DemoSurvey | None = None
    polls: tuple[DemoPoll, ...] = ()
    proposals: tuple[DemoProposal, ...] = ()
    causes: tuple[DemoCause, ...] = ()
    ballot: DemoBallot | None = None
    events: tuple[DemoEvent, ...] = ()


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
    # Projects of the other participation methods (surveys, polls, proposals, volunteering,
    # budget votes), written after `projects`.
    participation: tuple[DemoProject, ...] = ()
    # City-wide events (no project).
    events: tuple[DemoEvent, ...] = ()
