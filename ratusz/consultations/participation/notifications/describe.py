"""What a notification says, in the active language: one description serves the notifications
page (links relative to the portal) and the e-mails (absolute links to the city's own host)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.core.richtext import plain_text
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.ideation.models import Idea, Visibility
from ratusz.consultations.participation.notifications.models import Kind, Notification

EXCERPT_CHARS = 300


def city_path(name: str, *args: object) -> str:
    """A path in a city portal, also from a task (which has no request, hence no urlconf)."""
    return reverse(name, args=args, urlconf=settings.CITY_URLCONF)


def idea_path(idea: Idea) -> str:
    """Where an idea's page is in its city's portal."""
    return city_path("idea", idea.pk)


def display_name(user: User | None) -> str:
    """A person's public name; never their e-mail address."""
    if user is not None and user.full_name.strip():
        return user.full_name.strip()
    return _("Someone")


def masked_email(address: str) -> str:
    """Enough of an address for its owner to recognise it: "an***@example.com"."""
    local, _at, domain = address.partition("@")
    return f"{local[:2]}***@{domain}" if domain else "***"


@dataclass(frozen=True)
class Description:
    pk: int
    kind: str
    headline: str
    subject: str
    idea_title: str
    idea_url: str
    status_name: str
    status_color: str
    answer_html: str  # sanitised when the answer was saved
    answer_text: str
    excerpt: str  # the comment's words, if still visible
    created_at: datetime
    unread: bool


def describe(notification: Notification, *, default_language: str, origin: str = "") -> Description:
    """`origin` ("https://gdansk.example") makes links absolute, for e-mails."""
    idea = notification.idea
    title = idea.title
    name = display_name(notification.actor)
    status_name = status_color = answer_html = answer_text = excerpt = ""
    if notification.kind == Kind.STATUS_CHANGED and notification.status_change is not None:
        change = notification.status_change
        status_name = translated(change.status.name, default_language) or change.status.code
        status_color = change.status.color
        answer_html = change.answer
        answer_text = html.unescape(plain_text(change.answer))
        headline = _("The status of the idea “%(idea)s” is now: %(status)s.") % {
            "idea": title,
            "status": status_name,
        }
        subject = _("“%(idea)s” is now: %(status)s") % {"idea": title, "status": status_name}
    elif notification.kind == Kind.CONTENT_REPORTED:
        report = notification.report
        reason = report.get_reason_display() if report is not None else ""
        on_comment = notification.comment_id is not None
        headline = (
            _("%(name)s reported a comment on the idea “%(idea)s”: %(reason)s.")
            if on_comment
            else _("%(name)s reported the idea “%(idea)s”: %(reason)s.")
        ) % {"name": name, "idea": title, "reason": reason}
        subject = _("Reported for moderation: “%(idea)s”") % {"idea": title}
        if report is not None and report.explanation:
            answer_text = report.explanation
    elif notification.kind == Kind.CONTENT_HELD:
        headline = (
            _("A comment on the idea “%(idea)s” matched the word filter and waits for review.")
            if notification.comment_id is not None
            else _("The new idea “%(idea)s” matched the word filter and waits for review.")
        ) % {"idea": title}
        subject = _("Waiting for review: “%(idea)s”") % {"idea": title}
    elif notification.kind == Kind.COMMENT_REPLY:
        headline = _("%(name)s replied to your comment on the idea “%(idea)s”.") % {
            "name": name,
            "idea": title,
        }
        subject = _("A reply to your comment on “%(idea)s”") % {"idea": title}
    else:
        headline = _("%(name)s commented on the idea “%(idea)s”.") % {"name": name, "idea": title}
        subject = _("A new comment on “%(idea)s”") % {"idea": title}
    comment = notification.comment
    for_moderators = notification.kind in (Kind.CONTENT_REPORTED, Kind.CONTENT_HELD)
    if comment is not None and (comment.visibility == Visibility.VISIBLE or for_moderators):
        excerpt = Truncator(comment.body).chars(EXCERPT_CHARS)
    # Moderators go to their queue, where they can act on it.
    url = city_path("moderation:queue") if for_moderators else idea_path(idea)
    return Description(
        pk=notification.pk,
        kind=notification.kind,
        headline=headline,
        subject=subject,
        idea_title=title,
        idea_url=origin + url,
        status_name=status_name,
        status_color=status_color,
        answer_html=answer_html,
        answer_text=answer_text,
        excerpt=excerpt,
        created_at=notification.created_at,
        unread=notification.read_at is None,
    )
