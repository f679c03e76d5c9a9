"""Areas on a map: reading the points a resident typed (or the map picker wrote), checking a
stored polygon, and what GIS tools and staff read (WKT, the centre)."""

from __future__ import annotations

import re
from statistics import mean
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from ratusz.consultations.methods.surveys.models import AREA_MAX_POINTS, AREA_MIN_POINTS

_NUMBER = r"[-+]?\d+(?:\.\d+)?"
# "54.35, 18.65", "54.35 18.65" or "54.35;18.65"; with a semicolon or a tab between them the
# numbers may use a decimal comma, as Polish spreadsheets write them ("54,35; 18,65").
_POINT = re.compile(rf"^({_NUMBER})\s*[,;\s]\s*({_NUMBER})$")
_POINT_DECIMAL_COMMA = re.compile(r"^([-+]?\d+(?:,\d+)?)\s*[;\t]\s*([-+]?\d+(?:,\d+)?)$")


def area_lines(points: list[list[float]]) -> str:
    """A stored area as the text the fallback field shows: one "latitude, longitude" a line."""
    return "\n".join(f"{lat}, {lon}" for lat, lon in points)


def parse_area(text: str) -> list[list[float]] | None:
    """The polygon typed (or written by the map picker) as one "latitude, longitude" a line;
    None when nothing was given. Every problem is said with the line it is on."""
    lines = [line.strip() for line in (text or "").splitlines()]
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line]
    if not numbered:
        return None
    points: list[list[float]] = []
    for number, line in numbered:
        found = _POINT.match(line)
        if found is None:
            found = _POINT_DECIMAL_COMMA.match(line)
        if found is None:
            raise forms.ValidationError(
                _(
                    "Line %(line)s (“%(text)s”) is not two numbers: write the latitude and the "
                    "longitude separated by a comma, for example 54.35, 18.65."
                )
                % {"line": number, "text": line[:60]}
            )
        lat, lon = (float(part.replace(",", ".")) for part in found.groups())
        if not -90 <= lat <= 90 or not -180 <= lon <= 180:
            raise forms.ValidationError(
                _(
                    "Line %(line)s is out of range: the latitude must be between -90 and 90 "
                    "and the longitude between -180 and 180."
                )
                % {"line": number}
            )
        points.append([round(lat, 6), round(lon, 6)])
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()  # a closed ring, as GIS tools write it: the last point repeats the first
    if len(points) < AREA_MIN_POINTS:
        raise forms.ValidationError(
            _("An area needs at least %(min)s points; you gave %(count)s.")
            % {"min": AREA_MIN_POINTS, "count": len(points)}
        )
    if len(points) > AREA_MAX_POINTS:
        raise forms.ValidationError(
            _("An area can have at most %(max)s points; you gave %(count)s.")
            % {"max": AREA_MAX_POINTS, "count": len(points)}
        )
    if len({tuple(point) for point in points}) < AREA_MIN_POINTS:
        raise forms.ValidationError(
            _("An area needs at least %(min)s different points; some of yours repeat.")
            % {"min": AREA_MIN_POINTS}
        )
    return points


def is_valid_area(value: Any) -> bool:
    """Whether an area answer has the stored shape: {"points": [[lat, lon], ...]} with 3 to 50
    points in range, at least 3 of them different. The answer form says what is wrong in
    words; this keeps any other caller from storing a shape that results and exports cannot
    read."""
    points = value.get("points") if isinstance(value, dict) else None
    if not isinstance(points, list) or not AREA_MIN_POINTS <= len(points) <= AREA_MAX_POINTS:
        return False
    for point in points:
        if not (
            isinstance(point, list | tuple)
            and len(point) == 2
            and all(isinstance(n, int | float) and not isinstance(n, bool) for n in point)
            and -90 <= point[0] <= 90
            and -180 <= point[1] <= 180
        ):
            return False
    return len({(float(lat), float(lon)) for lat, lon in points}) >= AREA_MIN_POINTS


def area_wkt(points: list[list[float]]) -> str:
    """A polygon as WKT, which GIS tools read: longitude first, the ring closed."""
    ring = [*points, points[0]] if points else []
    return "POLYGON((" + ", ".join(f"{lon} {lat}" for lat, lon in ring) + "))"


def area_centroid(points: list[list[float]]) -> tuple[float, float]:
    """The centre of a polygon (latitude, longitude): the centroid of its surface, or the mean
    of its points when it has none (all in a line). Flat geometry is exact enough for the
    size of a city."""
    twice_area = cx = cy = 0.0
    for (lat1, lon1), (lat2, lon2) in zip(points, points[1:] + points[:1], strict=True):
        cross = lon1 * lat2 - lon2 * lat1
        twice_area += cross
        cx += (lon1 + lon2) * cross
        cy += (lat1 + lat2) * cross
    if abs(twice_area) < 1e-12:
        return (
            round(mean(lat for lat, _lon in points), 6),
            round(mean(lon for _lat, lon in points), 6),
        )
    return round(cy / (3 * twice_area), 6), round(cx / (3 * twice_area), 6)
