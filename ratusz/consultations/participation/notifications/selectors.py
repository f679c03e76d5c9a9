"""Reads for notifications: who is involved in an idea, a person's inbox, their preference, and
the city the code runs for (its name, host and languages, for e-mails)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.consultations.core.usage import RECENT
from ratusz.consultations.methods.ideation.models import Comment, Idea, Visibility
from ratusz.consultations.participation.notifications.models import (
    Frequency,
    Notification,
    NotificationPreference,
)
from ratusz.consultations.participation.notifications.unsubscribe import read_token
from ratusz.tenants.context import CityRef, control_plane
from ratusz.tenants.db import connection
from ratusz.tenants.models import City, Domain


def current_city() -> CityRef:
    """The city whose schema the connection uses.

    A request (and `city_context(city_ref)`) carries the full CityRef; a Celery task knows only
    its schema, so the city is then read from the registry (which is why the lookup runs in the
    control plane: the one visible crossing)."""
    tenant = connection.tenant
    if isinstance(tenant, CityRef):
        return tenant

    schema = str(connection.schema_name)
    with control_plane():
        city = City.objects.get(schema_name=schema)
        primary = (
            Domain.objects.filter(tenant=city)
            .order_by("-is_primary", "pk")
            .values_list("domain", flat=True)
            .first()
        )
    if primary is None:
        raise LookupError(f"city {schema!r} has no domain to link to")
    return CityRef.from_city(city, primary)


def language_for(user: User, city: CityRef) -> str:
    """The person's language if the city speaks it, else the city's default language."""
    return user.language if user.language in city.languages else city.default_language


def _active(users: QuerySet[User]) -> set[int]:
    return set(users.filter(is_active=True).values_list("pk", flat=True))


def involved_in_status_change(idea: Idea) -> set[int]:
    """Everyone involved in an idea: its author, commenters, reactors and followers.

    An idea the public cannot see (held for review, hidden) concerns its author only: telling
    the others about it would reveal it."""
    ids: set[int] = {idea.author_id} if idea.author_id else set()
    if idea.visibility == Visibility.VISIBLE:
        ids |= set(
            Comment.objects.filter(idea=idea, author__isnull=False).values_list(
                "author_id", flat=True
            )
        )
        ids |= set(idea.reactions.values_list("user_id", flat=True))
        ids |= set(idea.follows.values_list("user_id", flat=True))
    return _active(User.objects.filter(pk__in=ids))


@dataclass(frozen=True)
class CommentAudience:
    idea_people: set[int]  # the idea's author and followers
    parent_author: int | None  # who wrote the comment replied to, if it is a reply


def involved_in_comment(comment: Comment) -> CommentAudience:
    """Who hears of a new comment: the idea's author and followers, and the author of the
    comment replied to. A comment or idea the public cannot see is announced to nobody."""
    idea = comment.idea
    if comment.visibility != Visibility.VISIBLE or idea.visibility != Visibility.VISIBLE:
        return CommentAudience(set(), None)
    ids: set[int] = {idea.author_id} if idea.author_id else set()
    ids |= set(idea.follows.values_list("user_id", flat=True))
    parent_author = comment.parent.author_id if comment.parent is not None else None
    if parent_author is not None:
        ids.add(parent_author)
    people = _active(User.objects.filter(pk__in=ids))
    if parent_author is not None and parent_author in people:
        return CommentAudience(idea_people=people - {parent_author}, parent_author=parent_author)
    return CommentAudience(idea_people=people, parent_author=None)


def moderators_of(idea: Idea) -> set[int]:
    """Who moderates an idea's project: the city's administrators and the project's managers."""
    return _active(
        User.objects.filter(
            Q(role=Role.ADMINISTRATOR)
            | Q(role=Role.PROJECT_MANAGER, managed_projects=idea.project_id)
        )
    )


def unsubscribing_account(token: str) -> User | None:
    """The account of this city an unsubscribe link was made for (None if it is not genuine,
    was made in another city, or its account is gone)."""
    user_id = read_token(token)
    return User.objects.filter(pk=user_id).first() if user_id is not None else None


def frequency_of(user: User) -> str:
    preference = getattr(user, "notification_preference", None)
    return preference.frequency if preference is not None else Frequency.INSTANT


def frequencies_of(user_ids: set[int]) -> dict[int, str]:
    """Each person's e-mail frequency (the default, at once, for those who never chose)."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "frequency"
        )
    )
    return {user_id: chosen.get(user_id, Frequency.INSTANT) for user_id in user_ids}


def inbox(user: User) -> QuerySet[Notification]:
    """A person's notifications, newest first, with what the page and e-mails show."""
    return Notification.objects.filter(recipient=user).select_related(
        "idea__project", "idea__status", "comment", "status_change__status", "actor", "report"
    )


def unread_count(user: User | Any) -> int:
    """How many notifications the person has not read yet (0 for visitors), for the header."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def digest_candidates(user: User, since: datetime) -> QuerySet[Notification]:
    """What a daily digest carries: unread notifications since `since` not e-mailed yet."""
    return inbox(user).filter(created_at__gte=since, read_at__isnull=True, emailed_at__isnull=True)


def unsent_instant(
    *, now: datetime, settle: timedelta, horizon: timedelta
) -> QuerySet[Notification]:
    """Notifications that should have gone out at once but were not e-mailed: their task was
    lost (the broker was down when the comment was saved). Older than `settle`, so a task on
    its way is not raced; newer than `horizon`, so a long outage does not send stale news."""
    return (
        Notification.objects.filter(
            emailed_at__isnull=True,
            read_at__isnull=True,
            created_at__lt=now - settle,
            created_at__gte=now - horizon,
            recipient__is_active=True,
        )
        .exclude(
            recipient__notification_preference__frequency__in=[Frequency.DAILY, Frequency.NONE]
        )
        .order_by("pk")
    )


def daily_readers() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, notification_preference__frequency=Frequency.DAILY
    ).order_by("pk")


def usage_counts() -> dict[str, int]:
    """Notifications e-mailed lately (alone or in a digest), for the city's usage
    (ratusz.consultations.core.usage)."""
    since = timezone.now() - RECENT
    return {"emails_sent_30_days": Notification.objects.filter(emailed_at__gte=since).count()}
