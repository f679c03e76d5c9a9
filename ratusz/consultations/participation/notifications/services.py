"""Writes for notifications: recording who hears what, reading, preferences, and e-mailing.

Who hears what (never the person who acted):
- "status_changed": the idea's author, commenters, reactors and followers (only the author
  when the idea is held for review or hidden);
- "comment_added": the idea's author and followers, and the author of the comment replied to
  (who gets a "reply" notification); nothing for held or hidden comments or ideas;
- "idea_posted" and "reacted": nobody. A new idea is already visible on the project page and
  held ones wait in the moderation queue; e-mailing staff about every idea would teach them to
  ignore these e-mails.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from ratusz.accounts.models import User
from ratusz.consultations.methods.ideation.models import Comment, Idea, StatusChange, Visibility
from ratusz.consultations.participation.events import InputEvent
from ratusz.consultations.participation.moderation.models import Report
from ratusz.consultations.participation.notifications import selectors
from ratusz.consultations.participation.notifications.emails import (
    digest_email,
    notification_email,
    welcome_email,
)
from ratusz.consultations.participation.notifications.models import (
    Frequency,
    Kind,
    Notification,
    NotificationPreference,
)
from ratusz.tenants.context import current_schema
from ratusz.tenants.queue import enqueue_for_city

logger = logging.getLogger(__name__)


def on_input_event(event: InputEvent) -> None:
    """The listener registered with participation's input events (it runs after their commit).

    The idea, comment or answer is already saved: a failure here is logged, and must not turn
    the resident's successful action into an error page."""
    try:
        record_notifications(event=event)
    except Exception:
        logger.exception("notifications for %s on idea %s failed", event.kind, event.input_id)


def record_notifications(*, event: InputEvent) -> list[Notification]:
    """One notification per person involved; e-mails for those who want them at once are
    queued once this transaction commits. Recording the same event twice changes nothing."""
    rows = _rows_for(event)
    if not rows:
        return []
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        anchor = _anchor(rows[0])
        recorded = list(
            Notification.objects.filter(
                recipient_id__in=[row.recipient_id for row in rows], **anchor
            ).order_by("pk")
        )
        frequencies = selectors.frequencies_of({n.recipient_id for n in recorded})
        to_email = [
            n.pk
            for n in recorded
            if n.emailed_at is None and frequencies[n.recipient_id] == Frequency.INSTANT
        ]
        if to_email:
            _email_after_commit(to_email)
    return recorded


def _anchor(row: Notification) -> dict[str, object]:
    """What identifies the rows one event made (to find them again after ignored conflicts)."""
    if row.report_id is not None:
        return {"report_id": row.report_id}
    if row.status_change_id is not None:
        return {"status_change_id": row.status_change_id}
    if row.comment_id is not None:
        kinds = (
            [row.kind]
            if row.kind == Kind.CONTENT_HELD
            else [Kind.COMMENT_ADDED, Kind.COMMENT_REPLY]
        )
        return {"comment_id": row.comment_id, "kind__in": kinds}
    return {"idea_id": row.idea_id, "kind": row.kind, "comment__isnull": True}


def _for_moderators(
    idea: Idea, kind: str, actor_id: int | None, **about: object
) -> list[Notification]:
    return [
        Notification(recipient_id=person, kind=kind, idea=idea, actor_id=actor_id, **about)
        for person in sorted(selectors.moderators_of(idea) - {actor_id})
    ]


def _rows_for(event: InputEvent) -> list[Notification]:
    if event.kind == "content_reported" and event.report_id is not None:
        report = Report.objects.filter(pk=event.report_id, resolved_at__isnull=True).first()
        idea = Idea.objects.filter(pk=event.input_id).first()
        if report is None or idea is None:  # resolved or gone before the listener ran
            return []
        return _for_moderators(
            idea, Kind.CONTENT_REPORTED, event.actor_id, report=report,
            comment_id=event.comment_id,
        )  # fmt: skip
    if event.kind == "idea_posted":
        idea = Idea.objects.filter(pk=event.input_id, visibility=Visibility.HELD).first()
        return [] if idea is None else _for_moderators(idea, Kind.CONTENT_HELD, event.actor_id)
    if event.kind == "comment_added" and event.comment_id is not None:
        held = (
            Comment.objects.select_related("idea")
            .filter(pk=event.comment_id, visibility=Visibility.HELD)
            .first()
        )
        if held is not None:
            return _for_moderators(held.idea, Kind.CONTENT_HELD, event.actor_id, comment=held)
    if event.kind == "status_changed" and event.status_change_id is not None:
        change = (
            StatusChange.objects.select_related("idea").filter(pk=event.status_change_id).first()
        )
        if change is None:
            return []
        people = selectors.involved_in_status_change(change.idea) - {event.actor_id}
        return [
            Notification(
                recipient_id=person,
                kind=Kind.STATUS_CHANGED,
                idea=change.idea,
                status_change=change,
                actor_id=event.actor_id,
            )
            for person in sorted(people)
        ]
    if event.kind == "comment_added" and event.comment_id is not None:
        comment = (
            Comment.objects.select_related("idea", "parent").filter(pk=event.comment_id).first()
        )
        if comment is None:
            return []
        audience = selectors.involved_in_comment(comment)
        rows = [
            Notification(
                recipient_id=person,
                kind=Kind.COMMENT_ADDED,
                idea=comment.idea,
                comment=comment,
                actor_id=event.actor_id,
            )
            for person in sorted(audience.idea_people - {event.actor_id})
        ]
        if audience.parent_author is not None and audience.parent_author != event.actor_id:
            rows.append(
                Notification(
                    recipient_id=audience.parent_author,
                    kind=Kind.COMMENT_REPLY,
                    idea=comment.idea,
                    comment=comment,
                    actor_id=event.actor_id,
                )
            )
        return rows
    return []


def _email_after_commit(notification_ids: list[int]) -> None:
    schema = current_schema()

    def enqueue() -> None:
        for notification_id in notification_ids:
            enqueue_for_city(schema, "notifications.send_notification_email", notification_id)

    # robust: a broker that is down must not fail the request that saved the comment; the
    # notification stays on the notifications page (and un-e-mailed, for the record).
    transaction.on_commit(enqueue, robust=True)


def mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the person's notifications read (raises Notification.DoesNotExist for any
    other notification, which the view turns into a 404)."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(
            pk=notification_id, recipient=user
        )
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def set_frequency(*, user: User, frequency: str) -> NotificationPreference:
    if frequency not in Frequency.values:
        raise ValueError(f"unknown frequency {frequency!r}")
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"frequency": frequency}
    )
    return preference


class InvalidUnsubscribeLink(ValueError):
    """The link was altered, made for another city, or its account no longer exists."""


def unsubscribe(*, token: str) -> User:
    """Stop all notification e-mails to the account a genuine link was made for."""
    user = selectors.unsubscribing_account(token)
    if user is None:
        raise InvalidUnsubscribeLink(token)
    set_frequency(user=user, frequency=Frequency.NONE)
    return user


def email_notification(*, notification_id: int) -> bool:
    """E-mail one notification to a person who wants them at once. Sends at most once:
    the row is locked and stamped in the transaction that sends. True if it was sent."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related(
                "recipient",
                "recipient__notification_preference",
                "idea__project",
                "comment",
                "status_change__status",
                "actor",
                "report",
            )
            .filter(pk=notification_id, emailed_at__isnull=True, read_at__isnull=True)
            .first()
        )
        if notification is None:  # already sent (or read, or gone): nothing to do
            return False
        recipient = notification.recipient
        if not recipient.is_active or selectors.frequency_of(recipient) != Frequency.INSTANT:
            return False
        notification_email(notification, selectors.current_city()).send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def email_digest(*, user_id: int, since: datetime) -> int:
    """E-mail a person who chose the daily summary their unread, not yet e-mailed
    notifications since `since`, in one e-mail. Returns how many it carried (0: no e-mail)."""
    with transaction.atomic():
        user = (
            User.objects.select_related("notification_preference")
            .filter(pk=user_id, is_active=True)
            .first()
        )
        if user is None or selectors.frequency_of(user) != Frequency.DAILY:
            return 0
        notifications = list(
            selectors.digest_candidates(user, since).select_for_update(of=("self",))
        )
        if not notifications:
            return 0
        digest_email(user, notifications, selectors.current_city()).send()
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
            emailed_at=timezone.now()
        )
    return len(notifications)


def welcome_after_confirmation(user: User) -> None:
    """Queue the welcome e-mail once a new account's first confirmed address is committed."""
    schema, user_id = current_schema(), user.pk
    transaction.on_commit(
        lambda: enqueue_for_city(schema, "notifications.send_welcome_email", user_id), robust=True
    )


def email_welcome(*, user_id: int) -> bool:
    """Send the welcome e-mail (the city's wording if it wrote one). True if sent."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    welcome_email(user, selectors.current_city()).send()
    return True
