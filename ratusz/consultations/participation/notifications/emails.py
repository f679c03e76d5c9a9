"""Notification e-mails: rendered in the recipient's language, with links to the city's own
host, a one-click unsubscribe link and the List-Unsubscribe headers (RFC 2369, RFC 8058).

A city may write its own wording of the automatic e-mails (welcome, status changed, daily
summary) in the back office (campaigns, which supplies it through city_emails.py); when it
did, that version is used, rendered with the restricted placeholders; otherwise the built-in
one."""

from __future__ import annotations

from collections.abc import Sequence
from email.headerregistry import Address
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ratusz.accounts.models import User
from ratusz.consultations.participation.notifications.city_emails import (
    DAILY_DIGEST,
    STATUS_CHANGED,
    WELCOME,
    Rendered,
    city_emails,
)
from ratusz.consultations.participation.notifications.describe import (
    city_path,
    describe,
    display_name,
)
from ratusz.consultations.participation.notifications.models import Kind, Notification
from ratusz.consultations.participation.notifications.selectors import language_for
from ratusz.consultations.participation.notifications.unsubscribe import make_token
from ratusz.tenants.context import CityRef
from ratusz.tenants.links import city_url


def from_address(city: CityRef) -> str:
    """The city's name with the platform's sending address."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if not address:
        return str(settings.DEFAULT_FROM_EMAIL)
    # Unencoded (Django encodes headers when it sends); quoted where the name needs it.
    return str(Address(display_name=city.name, addr_spec=address))


def build_message(
    *,
    user: User,
    city: CityRef,
    subject: str,
    template: str,
    context: dict[str, Any],
    unsubscribe_url: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """An e-mail to `user` from `template` (.txt and .html), with the unsubscribe link (the
    notifications' one unless another is given) in its footer and its headers."""
    unsubscribe_url = unsubscribe_url or city_url(
        city.primary_domain, city_path("notifications:unsubscribe", make_token(user.pk, city))
    )
    context = {
        **context,
        "city": city,
        "recipient": user,
        "portal_url": city_url(city.primary_domain, "/"),
        "notifications_url": city_url(city.primary_domain, city_path("notifications:list")),
        "preferences_url": city_url(city.primary_domain, city_path("notifications:preferences")),
        "unsubscribe_url": unsubscribe_url,
    }
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # headers must not break lines
        body=text,
        from_email=from_address(city),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Content-Language": translation.get_language() or city.default_language,
            **(headers or {}),
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _message(
    *, user: User, city: CityRef, subject: str, template: str, context: dict[str, Any]
) -> EmailMultiAlternatives:
    return build_message(
        user=user,
        city=city,
        subject=subject,
        template=f"notifications/email/{template}",
        context=context,
    )


def _city_version(
    kind: str, *, user: User, city: CityRef, values: dict[str, object], answer: tuple[str, str]
) -> Rendered | None:
    language = translation.get_language() or city.default_language
    common = {"name": display_name(user), "city": city.name, **values}
    return city_emails().city_version(
        kind,
        language=language,
        default_language=city.default_language,
        values_html={**common, "answer": answer[0]},
        values_text={**common, "answer": answer[1]},
    )


def notification_email(notification: Notification, city: CityRef) -> EmailMultiAlternatives:
    user = notification.recipient
    with translation.override(language_for(user, city)), timezone.override(city.time_zone):
        origin = city_url(city.primary_domain, "")
        entry = describe(notification, default_language=city.default_language, origin=origin)
        if notification.kind == Kind.STATUS_CHANGED:
            version = _city_version(
                STATUS_CHANGED,
                user=user,
                city=city,
                values={
                    "idea_title": entry.idea_title,
                    "status": entry.status_name,
                    "link": entry.idea_url,
                },
                answer=(entry.answer_html, entry.answer_text),
            )
            if version is not None:
                return build_message(
                    user=user,
                    city=city,
                    subject=version.subject,
                    template="emails/campaign_automatic",
                    context={"rendered": version},
                )
        return _message(
            user=user,
            city=city,
            subject=entry.subject,
            template="notification",
            context={"entry": entry},
        )


def digest_email(
    user: User, notifications: Sequence[Notification], city: CityRef
) -> EmailMultiAlternatives:
    with translation.override(language_for(user, city)), timezone.override(city.time_zone):
        origin = city_url(city.primary_domain, "")
        entries = [
            describe(n, default_language=city.default_language, origin=origin)
            for n in notifications
        ]
        version = _city_version(
            DAILY_DIGEST,
            user=user,
            city=city,
            values={
                "count": len(entries),
                "link": city_url(city.primary_domain, city_path("notifications:list")),
            },
            answer=("", ""),
        )
        if version is not None:
            return build_message(
                user=user,
                city=city,
                subject=version.subject,
                template="emails/campaign_automatic_digest",
                context={"rendered": version, "entries": entries},
            )
        subject = ngettext(
            "%(count)d new notification from %(city)s",
            "%(count)d new notifications from %(city)s",
            len(entries),
        ) % {"count": len(entries), "city": city.name}
        return _message(
            user=user, city=city, subject=subject, template="digest", context={"entries": entries}
        )


def welcome_email(user: User, city: CityRef) -> EmailMultiAlternatives:
    """The e-mail a new account gets: the city's wording if it wrote one, else the built-in."""
    with translation.override(language_for(user, city)), timezone.override(city.time_zone):
        portal = city_url(city.primary_domain, "/")
        version = _city_version(
            WELCOME, user=user, city=city, values={"link": portal}, answer=("", "")
        )
        if version is None:
            values = {"name": display_name(user), "city": city.name, "link": portal}
            version = city_emails().built_in_version(WELCOME, values)
        return build_message(
            user=user,
            city=city,
            subject=version.subject or _("Welcome"),
            template="emails/campaign_automatic",
            context={"rendered": version},
        )
