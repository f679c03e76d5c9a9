"""Campaign e-mails: the campaign's subject and body in the recipient's language, with a
one-click link (and List-Unsubscribe headers) that stops campaigns."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.campaigns.rendering import html_to_text
from ratusz.consultations.campaigns.unsubscribe import make_token
from ratusz.consultations.core.translation import translated
from ratusz.consultations.participation.notifications.emails import build_message
from ratusz.consultations.participation.notifications.selectors import language_for
from ratusz.tenants.context import CityRef
from ratusz.tenants.links import city_url


def unsubscribe_url(user: User, city: CityRef) -> str:
    path = reverse(
        "campaigns:unsubscribe",
        args=[make_token(user.pk, city)],
        urlconf=settings.CITY_URLCONF,
    )
    return city_url(city.primary_domain, path)


def campaign_content(
    *, subject: dict[str, str], body: dict[str, str], language: str, default_language: str
) -> tuple[str, str]:
    """The subject and (sanitised HTML) body in `language`, else the default language."""
    return (
        translated(subject, default_language, language),
        translated(body, default_language, language),
    )


def campaign_email(
    *,
    subject: dict[str, str],
    body: dict[str, str],
    user: User,
    city: CityRef,
    is_test: bool = False,
    language: str | None = None,
) -> EmailMultiAlternatives:
    language = language or language_for(user, city)
    with translation.override(language):
        title, body_html = campaign_content(
            subject=subject, body=body, language=language, default_language=city.default_language
        )
        if is_test:
            title = _("[Test] %(subject)s") % {"subject": title}
        return build_message(
            user=user,
            city=city,
            subject=title,
            template="emails/campaign",
            context={
                "subject": title,
                "body_html": body_html,
                "body_text": html_to_text(body_html),
                "is_test": is_test,
            },
            unsubscribe_url=unsubscribe_url(user, city),
            # Bulk mail, not an automatic reply; mail providers sort it accordingly.
            headers={"Precedence": "bulk", "Auto-Submitted": "no"},
        )
