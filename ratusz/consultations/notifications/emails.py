"""Notification e-mails: rendered in the recipient's language, with links to the city's own
host, a one-click unsubscribe link and the List-Unsubscribe headers (RFC 2369, RFC 8058)."""

from __future__ import annotations

from collections.abc import Sequence
from email.headerregistry import Address
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from ratusz.accounts.models import User
from ratusz.consultations.notifications.describe import city_path, describe
from ratusz.consultations.notifications.models import Notification
from ratusz.consultations.notifications.selectors import language_for
from ratusz.consultations.notifications.unsubscribe import make_token
from ratusz.tenants.context import CityRef
from ratusz.tenants.links import city_url


def _from_address(city: CityRef) -> str:
    """The city's name with the platform's sending address."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if not address:
        return str(settings.DEFAULT_FROM_EMAIL)
    # Unencoded (Django encodes headers when it sends); quoted where the name needs it.
    return str(Address(display_name=city.name, addr_spec=address))


def _message(
    *, user: User, city: CityRef, subject: str, template: str, context: dict[str, Any]
) -> EmailMultiAlternatives:
    unsubscribe_url = city_url(
        city.primary_domain, city_path("notifications:unsubscribe", make_token(user.pk))
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
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # headers must not break lines
        body=text,
        from_email=_from_address(city),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Content-Language": translation.get_language() or city.default_language,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def notification_email(notification: Notification, city: CityRef) -> EmailMultiAlternatives:
    user = notification.recipient
    with translation.override(language_for(user, city)), timezone.override(city.time_zone):
        origin = city_url(city.primary_domain, "")
        entry = describe(notification, default_language=city.default_language, origin=origin)
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
        subject = ngettext(
            "%(count)d new notification from %(city)s",
            "%(count)d new notifications from %(city)s",
            len(entries),
        ) % {"count": len(entries), "city": city.name}
        return _message(
            user=user, city=city, subject=subject, template="digest", context={"entries": entries}
        )
