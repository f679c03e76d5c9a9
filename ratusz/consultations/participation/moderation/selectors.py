"""Reads for moderation: blocks, the word filter, posting rate, the queue and what authors see."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import Role, User
from ratusz.accounts.rules import acting_role
from ratusz.consultations.core.models import Project
from ratusz.consultations.core.richtext import plain_text
from ratusz.consultations.core.rules import (
    AnyUser,
    can_see_project,
    is_administrator,
    is_project_staff,
)
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.ideation.models import Comment, Idea, Visibility
from ratusz.consultations.participation.moderation.models import (
    Block,
    FilteredWord,
    ModerationAction,
    Report,
)
from ratusz.tenants.db import connection
from ratusz.tenants.slugs import transliterate

# How much one account may post before being asked to slow down: (count, window).
RATE_LIMITS = {
    "idea": (5, timedelta(hours=1)),
    "comment": (20, timedelta(minutes=10)),
}

Item = Idea | Comment


def active_block(user: User) -> Block | None:
    now = timezone.now()
    return (
        Block.objects.filter(user=user, lifted_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .order_by("-created_at")
        .first()
    )


def _fold(text: str) -> str:
    return transliterate(text).lower()


def filtered_words_in(text: str) -> list[str]:
    """The city's filtered words found in `text` (whole words, ignoring case and accents)."""
    folded = _fold(text)
    found = []
    for term in FilteredWord.objects.values_list("term", flat=True):
        if re.search(rf"(?<!\w){re.escape(_fold(term))}(?!\w)", folded):
            found.append(term)
    return found


def posting_too_fast(user: User, kind: str) -> bool:
    limit, window = RATE_LIMITS[kind]
    model = Idea if kind == "idea" else Comment
    since = timezone.now() - window
    return model.objects.filter(author=user, created_at__gte=since).count() >= limit


# --- the items moderators act on -----------------------------------------------------------


def project_of(item: Item) -> Project:
    return item.project if isinstance(item, Idea) else item.idea.project


def find_item(kind: str, pk: int) -> Item | None:
    """The idea or comment with this id in the current city, or None."""
    if kind == "idea":
        return Idea.objects.select_related("project", "author", "phase").filter(pk=pk).first()
    if kind == "comment":
        return (
            Comment.objects.select_related("idea__project", "idea__phase", "author")
            .filter(pk=pk)
            .first()
        )
    return None


def can_see_item(viewer: AnyUser, item: Item) -> bool:
    """Whether the item exists for `viewer`: the project is open to them and the item is
    published, or it is their own, or they are the project's staff."""
    project = project_of(item)
    if not can_see_project(viewer, project):
        return False
    if is_project_staff(viewer, project):
        return True
    mine = viewer.is_authenticated and item.author_id == viewer.pk
    idea = item if isinstance(item, Idea) else item.idea
    idea_shown = idea.visibility == Visibility.VISIBLE or (
        viewer.is_authenticated and idea.author_id == viewer.pk
    )
    return idea_shown and (item.visibility == Visibility.VISIBLE or mine)


def moderated_projects(staff: AnyUser) -> QuerySet[Project]:
    """The projects `staff` may moderate: every project for administrators, the assigned ones
    for project managers, none for anybody else."""
    if not staff.is_authenticated:
        return Project.objects.none()
    role = acting_role(staff)  # None for an inactive account
    if role == Role.ADMINISTRATOR:
        return Project.objects.all()
    if role == Role.PROJECT_MANAGER:
        return Project.objects.filter(managers=staff)
    return Project.objects.none()


@dataclass
class QueueEntry:
    """One idea or comment that needs a moderator: held by the word filter, reported, or
    (in the list of hidden content) hidden."""

    kind: str  # "idea" | "comment"
    item: Item
    project: Project
    project_title: str
    held: bool = False
    reports: list[Report] = field(default_factory=list)
    latest: datetime | None = None

    @property
    def idea(self) -> Idea:
        return self.item if isinstance(self.item, Idea) else self.item.idea

    @property
    def title(self) -> str:
        return self.idea.title

    @property
    def text(self) -> str:
        return plain_text(self.item.body) if isinstance(self.item, Idea) else self.item.body

    @property
    def author(self) -> User | None:
        return self.item.author

    @property
    def reasons(self) -> list[str]:
        """The distinct reasons given in the reports, in the reporters' order."""
        return list(dict.fromkeys(str(report.get_reason_display()) for report in self.reports))


def _entry(
    entries: dict[tuple[str, int], QueueEntry], item: Item, default_language: str
) -> QueueEntry:
    kind = "idea" if isinstance(item, Idea) else "comment"
    key = (kind, item.pk)
    if key not in entries:
        project = project_of(item)
        entries[key] = QueueEntry(
            kind=kind,
            item=item,
            project=project,
            project_title=translated(project.title, default_language) or project.slug,
        )
    return entries[key]


def _later(first: datetime | None, second: datetime) -> datetime:
    return second if first is None or second > first else first


def _scope(staff: AnyUser, project: Project | None) -> QuerySet[Project]:
    projects = moderated_projects(staff)
    return projects.filter(pk=project.pk) if project is not None else projects


def _newest_first(entries: dict[tuple[str, int], QueueEntry]) -> list[QueueEntry]:
    return sorted(
        entries.values(),
        key=lambda entry: (entry.latest or timezone.now(), entry.item.pk),
        reverse=True,
    )


def moderation_queue(
    *, staff: AnyUser, default_language: str, project: Project | None = None
) -> list[QueueEntry]:
    """Ideas and comments with open reports or held by the word filter, in the projects
    `staff` moderates (optionally one of them), newest activity first."""
    projects = _scope(staff, project)
    entries: dict[tuple[str, int], QueueEntry] = {}
    reports = (
        Report.objects.filter(resolved_at__isnull=True)
        .filter(Q(idea__project__in=projects) | Q(comment__idea__project__in=projects))
        .select_related(
            "reporter", "idea__project", "idea__author", "comment__idea__project", "comment__author"
        )
        .order_by("created_at", "pk")
    )
    for report in reports:
        item: Item = report.idea if report.idea is not None else report.comment  # type: ignore[assignment]  # the check constraint sets exactly one
        entry = _entry(entries, item, default_language)
        entry.reports.append(report)
        entry.latest = _later(entry.latest, report.created_at)
    held_ideas = Idea.objects.filter(visibility=Visibility.HELD, project__in=projects)
    for idea in held_ideas.select_related("project", "author"):
        entry = _entry(entries, idea, default_language)
        entry.held = True
        entry.latest = _later(entry.latest, idea.created_at)
    held_comments = Comment.objects.filter(
        visibility=Visibility.HELD, idea__project__in=projects
    ).select_related("idea__project", "author")
    for comment in held_comments:
        entry = _entry(entries, comment, default_language)
        entry.held = True
        entry.latest = _later(entry.latest, comment.created_at)
    return _newest_first(entries)


def hidden_content(
    *, staff: AnyUser, default_language: str, project: Project | None = None
) -> list[QueueEntry]:
    """Hidden ideas and comments in the projects `staff` moderates, most recently hidden
    first, so that they can be restored."""
    projects = _scope(staff, project)
    entries: dict[tuple[str, int], QueueEntry] = {}
    ideas = Idea.objects.filter(visibility=Visibility.HIDDEN, project__in=projects)
    comments = Comment.objects.filter(visibility=Visibility.HIDDEN, idea__project__in=projects)
    for idea in ideas.select_related("project", "author"):
        _entry(entries, idea, default_language).latest = idea.created_at
    for comment in comments.select_related("idea__project", "author"):
        _entry(entries, comment, default_language).latest = comment.created_at
    hidings = ModerationAction.objects.filter(
        kind__in=[ModerationAction.Kind.HIDE, ModerationAction.Kind.REJECT]
    ).filter(
        Q(idea__in=[pk for kind, pk in entries if kind == "idea"], comment__isnull=True)
        | Q(comment__in=[pk for kind, pk in entries if kind == "comment"])
    )
    for idea_id, comment_id, when in hidings.values_list("idea_id", "comment_id", "created_at"):
        key = ("comment", comment_id) if comment_id else ("idea", idea_id)
        if key in entries:
            entries[key].latest = _later(entries[key].latest, when)
    return _newest_first(entries)


def open_report_count(staff: AnyUser) -> int:
    projects = moderated_projects(staff)
    return (
        Report.objects.filter(resolved_at__isnull=True)
        .filter(Q(idea__project__in=projects) | Q(comment__idea__project__in=projects))
        .count()
    )


def recent_actions(
    *, staff: AnyUser, project: Project | None = None, limit: int = 20
) -> QuerySet[ModerationAction]:
    """The moderation log: actions on the projects `staff` moderates; administrators also see
    blocks and word-filter changes (when no project is chosen)."""
    actions = ModerationAction.objects.select_related("actor", "target_user")
    scope = Q(project__in=_scope(staff, project))
    if project is None and is_administrator(staff):
        scope |= Q(project__isnull=True)
    return actions.filter(scope)[:limit]


# --- what authors see ----------------------------------------------------------------------


@dataclass(frozen=True)
class ModerationNotice:
    """Why an idea or comment is not published, for its author (and the project's staff)."""

    state: str  # "held" | "hidden"
    reason: str
    message: str


def moderation_notice(*, viewer: AnyUser, item: Item) -> ModerationNotice | None:
    """The notice to show on a held or hidden item: only to its author and the project's
    staff; None for everybody else and for published items."""
    if item.visibility == Visibility.VISIBLE or not viewer.is_authenticated:
        return None
    if item.author_id != viewer.pk and not is_project_staff(viewer, project_of(item)):
        return None
    if item.visibility == Visibility.HELD:
        return ModerationNotice(
            state="held",
            reason="",
            message=_(
                "This is waiting for a moderator's review before it is published, because it "
                "contains words the city's filter holds."
            ),
        )
    return ModerationNotice(
        state="hidden",
        reason=item.moderation_reason,
        message=_("Moderators hid this. Only you and the moderators can see it."),
    )


@dataclass(frozen=True)
class AuthorNotice:
    kind: str
    item: Item
    idea: Idea
    notice: ModerationNotice


def moderated_content_of(user: User) -> list[AuthorNotice]:
    """The person's own ideas and comments that are held or hidden, with the reasons."""
    found: list[tuple[datetime, AuthorNotice]] = []
    items: list[Item] = [
        *Idea.objects.filter(author=user).exclude(visibility=Visibility.VISIBLE),
        *Comment.objects.filter(author=user)
        .exclude(visibility=Visibility.VISIBLE)
        .select_related("idea"),
    ]
    for item in items:
        notice = moderation_notice(viewer=user, item=item)
        if notice is not None:
            idea = item if isinstance(item, Idea) else item.idea
            kind = "idea" if isinstance(item, Idea) else "comment"
            found.append((item.created_at, AuthorNotice(kind, item, idea, notice)))
    return [notice for _when, notice in sorted(found, key=lambda pair: pair[0], reverse=True)]


# --- blocks and the word filter ------------------------------------------------------------


def active_blocks() -> QuerySet[Block]:
    now = timezone.now()
    return (
        Block.objects.filter(lifted_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .select_related("user", "blocked_by")
    )


def ended_blocks(limit: int = 50) -> QuerySet[Block]:
    now = timezone.now()
    return Block.objects.filter(Q(lifted_at__isnull=False) | Q(until__lte=now)).select_related(
        "user", "blocked_by"
    )[:limit]


def resident_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def filter_languages() -> list[tuple[str, str]]:
    """The languages the word filter keeps lists for: the city's own (Polish and English when
    the code runs outside a city)."""
    offered = set(getattr(connection.tenant, "languages", None) or ("pl", "en"))
    return [(code, str(name)) for code, name in settings.LANGUAGES if code in offered]


def word_filter() -> dict[str, list[str]]:
    """The city's filtered words by language."""
    lists: dict[str, list[str]] = {code: [] for code, _name in filter_languages()}
    for language, term in FilteredWord.objects.values_list("language", "term"):
        lists.setdefault(language, []).append(term)
    return lists
