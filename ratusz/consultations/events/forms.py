"""Validation of event input: the back office's event form and the phase's settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.events.services import EventDetails
from ratusz.consultations.models import Phase
from ratusz.consultations.translation import translated

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={"invalid": _("Give the date and time as YYYY-MM-DD HH:MM.")},
    )


class PhaseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        project = translated(obj.project.title, "pl") or obj.project.slug
        return f"{project}: {translated(obj.title, 'pl') or obj.starts_at.date()}"


class EventForm(forms.Form):
    """Times are read in the city's time zone (the view activates it) and stored in UTC."""

    phase = PhaseChoice(
        label=_("Project phase"),
        queryset=Phase.objects.none(),
        required=False,
        empty_label=_("None: a city-wide event"),
    )
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
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
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        field: forms.ModelChoiceField = self.fields["phase"]  # type: ignore[assignment]  # declared above
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
        if not cleaned.get("place") and not cleaned.get("online_url") and not self.errors:
            self.add_error(
                "place", _("Give the place of the event or a link to the online meeting.")
            )
        return cleaned

    def details(self) -> EventDetails:
        data = self.cleaned_data
        return EventDetails(
            title=data["title"],
            description=data.get("description") or "",
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data.get("place") or "",
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
