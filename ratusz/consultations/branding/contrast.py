"""WCAG 2.x contrast: relative luminance, contrast ratio, and a nearby shade that passes.

Text on the brand colours (the header, buttons, the footer band) must reach AA for normal
text, 4.5:1. https://www.w3.org/TR/WCAG21/#contrast-minimum
"""

from __future__ import annotations

import colorsys

AA_NORMAL_TEXT = 4.5
WHITE = "#ffffff"
BLACK = "#000000"


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    value = hex_colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #RRGGBB colour: {hex_colour!r}")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def _hex(r: float, g: float, b: float) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in (r, g, b))


def relative_luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def passing_shade(background: str, text: str, minimum: float = AA_NORMAL_TEXT) -> str:
    """The closest shade of `background` (same hue and saturation, lightness moved towards
    the opposite of `text`) on which `text` reaches `minimum`."""
    if contrast_ratio(background, text) >= minimum:
        return background.lower()
    h, lightness, s = colorsys.rgb_to_hls(*_rgb(background))
    darker = relative_luminance(text) > 0.5  # light text needs a darker background
    step = -0.01 if darker else 0.01
    while 0.0 <= lightness <= 1.0:
        lightness = round(lightness + step, 4)
        candidate = _hex(*colorsys.hls_to_rgb(h, max(0.0, min(1.0, lightness)), s))
        if contrast_ratio(candidate, text) >= minimum:
            return candidate
    return BLACK if darker else WHITE
