"""Questions answered on a map: a point, or an area outlined by its corners."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusz.consultations.methods.surveys.kinds.base import AreaAnswer, Kind, QuestionResult
from ratusz.consultations.methods.surveys.kinds.geometry import (
    area_centroid,
    area_lines,
    area_wkt,
    is_valid_area,
    parse_area,
)
from ratusz.consultations.methods.surveys.kinds.registry import register
from ratusz.consultations.methods.surveys.models import AREA_MAX_POINTS, Question, QuestionKind

if TYPE_CHECKING:
    from ratusz.consultations.methods.surveys.forms.answering import AnswerForm

FIRST_MAP_IDS = {"lat": "id_latitude", "lon": "id_longitude"}


@register
class Map(Kind):
    """A point, stored as {"lat", "lon"} rounded to 6 decimals (about 10 cm)."""

    key = QuestionKind.MAP
    label = QuestionKind.MAP.label
    single_input = False
    template = "surveys/partials/kinds/map.html"
    missing = gettext_lazy("Mark a place on the map, or type its latitude and longitude.")

    def add_fields(self, form: AnswerForm, question: Question, name: str, saved: Any) -> None:
        # The first map of a page uses the ids the shared place picker (ideas-map.js) fills.
        first = not form.map_used
        form.map_used = True
        for part, label, bound in (("lat", _("Latitude"), 90), ("lon", _("Longitude"), 180)):
            ids = {"id": FIRST_MAP_IDS[part]} if first else {}
            form.fields[f"{name}_{part}"] = forms.FloatField(
                label=label,
                required=False,
                min_value=-bound,
                max_value=bound,
                widget=forms.NumberInput(attrs={**ids, "step": "any"}),
            )
            form.initial[f"{name}_{part}"] = (saved or {}).get(part)

    def describe(self, form: AnswerForm, question: Question) -> dict[str, Any]:
        widget = form.fields[f"q{question.pk}_lat"].widget
        return {"map_picker": widget.attrs.get("id") == FIRST_MAP_IDS["lat"]}

    def assemble(self, form: AnswerForm, question: Question, data: dict[str, Any]) -> Any:
        name = f"q{question.pk}"
        lat, lon = data.get(f"{name}_lat"), data.get(f"{name}_lon")
        if lat is None and lon is None:
            return None
        if lat is None or lon is None:
            raise forms.ValidationError(_("Give both the latitude and the longitude."))
        return {"lat": round(lat, 6), "lon": round(lon, 6)}

    def tally(
        self, result: QuestionResult, given: list[Any], language: str, *, staff: bool
    ) -> None:
        result.points = [(float(v["lat"]), float(v["lon"])) for v in given]

    def answer_text(self, question: Question, value: Any, language: str) -> str:
        return f"{value['lat']}, {value['lon']}"


@register
class Area(Kind):
    """A polygon, stored as {"points": [[lat, lon], ...]} (see `geometry`)."""

    key = QuestionKind.AREA
    label = QuestionKind.AREA.label
    single_input = False
    template = "surveys/partials/kinds/area.html"
    missing = gettext_lazy("Outline the area: click at least 3 points on the map, or type them.")

    def add_fields(self, form: AnswerForm, question: Question, name: str, saved: Any) -> None:
        # The text field is the answer: without JavaScript it is typed, with it the map
        # picker (area-picker.js) writes the points clicked into it.
        form.area_used = True
        form.fields[name] = forms.CharField(
            label=_("Points of the area, one “latitude, longitude” a line"),
            required=False,
            max_length=AREA_MAX_POINTS * 60,
            widget=forms.Textarea(
                attrs={
                    "rows": 5,
                    "class": "area-points",
                    "spellcheck": "false",
                    "aria-describedby": f"{name}-how",
                }
            ),
        )
        form.initial[name] = area_lines((saved or {}).get("points", []))

    def assemble(self, form: AnswerForm, question: Question, data: dict[str, Any]) -> Any:
        points = parse_area(data.get(f"q{question.pk}") or "")
        return None if points is None else {"points": points}

    def stored_problem(self, value: Any) -> str | None:
        if is_valid_area(value):
            return None
        return _("The area given is not a polygon of 3 to 50 points: outline it again.")

    def tally(
        self, result: QuestionResult, given: list[Any], language: str, *, staff: bool
    ) -> None:
        for value in given:
            points = [[float(lat), float(lon)] for lat, lon in value.get("points", [])]
            if points:
                result.areas.append(AreaAnswer(points=points, centre=area_centroid(points)))

    def answer_text(self, question: Question, value: Any, language: str) -> str:
        return area_wkt(value.get("points", []))
