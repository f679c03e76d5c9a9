"""E-mails about events (the reminder the day before, a seat freed for someone waiting), in
the recipient's language and the city's time zone. A person who chose to receive no e-mails
gets none (they still see their registration on the event's page)."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.events.models import Registration
from ratusz.consultations.participation.notifications.describe import city_path
from ratusz.consultations.participation.notifications.emails import build_message
from ratusz.consultations.participation.notifications.models import Frequency
from ratusz.consultations.participation.notifications.selectors import (
    current_city,
    frequency_of,
    language_for,
)
from ratusz.tenants.links import city_url


def wants_email(registration: Registration) -> bool:
    user = registration.user
    return bool(user.is_active and user.email and frequency_of(user) != Frequency.NONE)


def event_email(registration: Registration, kind: str) -> EmailMultiAlternatives:
    """`kind` is "reminder" or "promoted"."""
    city = current_city()
    user = registration.user
    event = registration.event
    language = language_for(user, city)
    with translation.override(language), timezone.override(city.time_zone):
        # The city's texts in the recipient's language, else the city's default one.
        title = translated(event.title, city.default_language, language)
        place = translated(event.place, city.default_language, language)
        if kind == "reminder":
            subject = _("Reminder: %(title)s is tomorrow") % {"title": title}
        else:
            subject = _("A seat is free for you: %(title)s") % {"title": title}
        return build_message(
            user=user,
            city=city,
            subject=subject,
            template=f"events/email/{kind}",
            context={
                "event": event,
                "title": title,
                "place": place,
                "subject": subject,
                "event_url": city_url(city.primary_domain, city_path("events:detail", event.pk)),
                "calendar_url": city_url(
                    city.primary_domain, city_path("events:calendar", event.pk)
                ),
            },
        )
