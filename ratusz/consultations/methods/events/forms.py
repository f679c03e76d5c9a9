"""Validation of event input: the back office's event form and the phase's settings.

The title, description and place have one field per city language (`title_pl`,
`title_en`...); the city's default language is required for the title."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.translated_forms import TranslatedFields
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.events.models import Event
from ratusz.consultations.methods.events.services import EventDetails

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={"invalid": _("Give the date and time as YYYY-MM-DD HH:MM.")},
    )


class PhaseChoice(forms.ModelChoiceField):
    default_language = "pl"

    def label_from_instance(self, obj: Any) -> str:
        language = self.default_language
        project = translated(obj.project.title, language) or obj.project.slug
        return f"{project}: {translated(obj.title, language) or obj.starts_at.date()}"


FIELD_ORDER = [
    "phase", "title", "description", "starts_at", "ends_at", "place", "latitude", "longitude",
    "online_url", "capacity",
]  # fmt: skip


class EventForm(TranslatedFields):
    """Times are read in the city's time zone (the view activates it) and stored in UTC."""

    phase = PhaseChoice(
        label=_("Project phase"),
        queryset=Phase.objects.none(),
        required=False,
        empty_label=_("None: a city-wide event"),
    )
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, min_value=-90, max_value=90,
        required=False,
    )  # fmt: skip
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, min_value=-180, max_value=180,
        required=False,
    )  # fmt: skip
    online_url = forms.URLField(
        label=_("Link to the online meeting"), required=False, assume_scheme="https"
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        required=False,
        help_text=_(
            "Leave empty for no limit. When the event is full, people join a waiting list."
        ),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        phases: QuerySet[Phase],
        city_wide_allowed: bool,
        languages: tuple[str, ...],
        default_language: str,
        event: Event | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, languages=languages, default_language=default_language, **kwargs)
        texts = {
            "title": event.title if event else {},
            "description": event.description if event else {},
            "place": event.place if event else {},
        }
        self.add_translated("title", _("Title"), required=True, max_length=160,
                            initial=texts["title"])  # fmt: skip
        self.add_translated("description", _("Description"), required=False, max_length=20_000,
                            textarea=True, initial=texts["description"])  # fmt: skip
        self.add_translated("place", _("Place"), required=False, max_length=200,
                            initial=texts["place"])  # fmt: skip
        self.order_fields(
            [f"{name}_{code}" if name in texts else name
             for name in FIELD_ORDER for code in (self.languages if name in texts else ("",))]
        )  # fmt: skip
        field: PhaseChoice = self.fields["phase"]  # type: ignore[assignment]  # declared above
        field.default_language = default_language
        field.queryset = phases.select_related("project")
        field.required = not city_wide_allowed
        if not city_wide_allowed:
            field.empty_label = None
        self.city_wide_allowed = city_wide_allowed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error(
                "ends_at", _("An event must end after it starts: check the end date and time.")
            )
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error(
                "longitude", _("Give both the latitude and the longitude of the place, or neither.")
            )
        place = f"place_{self.default_language}"
        if not any(self.texts("place").values()) and not cleaned.get("online_url"):
            if not self.errors:
                self.add_error(
                    place, _("Give the place of the event or a link to the online meeting.")
                )
        elif any(self.texts("place").values()) and not cleaned.get(place):
            # Other languages fall back to the default one, so it is the one every place has.
            self.add_error(place, _("Give the place in the city's default language too."))
        return cleaned

    def details(self) -> EventDetails:
        data = self.cleaned_data
        return EventDetails(
            title=self.texts("title"),
            description=self.texts("description"),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=self.texts("place"),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            online_url=data.get("online_url") or "",
            capacity=data.get("capacity"),
        )


class PhaseSettingsForm(forms.Form):
    """The events method's own settings of a phase (stored in `phase.options`)."""

    waiting_list = forms.BooleanField(
        label=_("Waiting list when an event is full"),
        required=False,
        help_text=_("When someone cancels, the first person waiting gets the seat and an e-mail."),
    )

    def __init__(self, data: Any = None, *, phase: Phase, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"waiting_list": phase.options.get("waiting_list", True)})
        super().__init__(data, **kwargs)
        self.phase = phase
