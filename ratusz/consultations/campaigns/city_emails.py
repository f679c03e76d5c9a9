"""What campaigns supplies to the notifications' e-mails (registered in CampaignsConfig.ready()):
the city's own wording of the automatic e-mails, the built-in wording, and the residents'
choice to receive the city's news."""

from __future__ import annotations

from collections.abc import Mapping

from ratusz.accounts.models import User
from ratusz.consultations.campaigns import rendering, selectors, services
from ratusz.consultations.participation.notifications.city_emails import Rendered


class CampaignsCityEmails:
    def city_version(
        self,
        kind: str,
        *,
        language: str,
        default_language: str,
        values_html: Mapping[str, object],
        values_text: Mapping[str, object],
    ) -> Rendered | None:
        return rendering.automatic_version(
            kind,
            language=language,
            default_language=default_language,
            values_html=values_html,
            values_text=values_text,
        )

    def built_in_version(self, kind: str, values: Mapping[str, object]) -> Rendered:
        return rendering.built_in_version(kind, values)

    def wants_city_news(self, user: User) -> bool:
        return not selectors.is_opted_out(user)

    def set_city_news_wanted(self, *, user: User, wanted: bool) -> None:
        services.set_campaigns_wanted(user=user, wanted=wanted)
