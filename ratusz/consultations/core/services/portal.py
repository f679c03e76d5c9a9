"""The portal of a new city, its welcome texts, and the topics, areas and groups projects use."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.core.models import Area, PortalSettings, ResidentGroup, Topic
from ratusz.tenants.initializers import NewCity


def initialize_portal(new_city: NewCity) -> None:
    """Default portal settings for a new city, in each of its languages."""
    city = new_city.city
    titles: dict[str, str] = {}
    texts: dict[str, str] = {}
    for language in city.languages:
        with translation.override(language):
            titles[language] = _("Public consultations: %(city)s") % {"city": city.name}
            texts[language] = _(
                "Have your say about the future of %(city)s: share ideas, discuss them and "
                "see what the city does with them."
            ) % {"city": city.name}
    PortalSettings.objects.create(city_id=city.id, welcome_title=titles, welcome_text=texts)


def update_welcome(*, title: dict[str, str], text: dict[str, str]) -> PortalSettings:
    portal = PortalSettings.objects.get()
    portal.welcome_title = {**portal.welcome_title, **title}
    portal.welcome_text = {**portal.welcome_text, **text}
    portal.save(update_fields=["welcome_title", "welcome_text", "updated_at"])
    return portal


def create_topic(*, slug: str, name: dict[str, str], position: int = 0) -> Topic:
    return Topic.objects.create(slug=slug, name=name, position=position)


def create_area(*, slug: str, name: dict[str, str], position: int = 0) -> Area:
    return Area.objects.create(slug=slug, name=name, position=position)


def create_group(
    *, name: str, members: Iterable[User] = (), description: str = ""
) -> ResidentGroup:
    group = ResidentGroup.objects.create(name=name, description=description)
    group.members.set(members)
    return group
