"""WCAG contrast arithmetic, against values published by the W3C and common tools."""

import pytest

from ratusz.consultations.branding.contrast import (
    AA_NORMAL_TEXT,
    BLACK,
    WHITE,
    contrast_ratio,
    passing_shade,
)


def test_contrast_ratios_match_the_wcag_formula():
    assert contrast_ratio(WHITE, BLACK) == pytest.approx(21.0)
    assert contrast_ratio("#777777", WHITE) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#767676", WHITE) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#1f4e8c", WHITE) > AA_NORMAL_TEXT  # the default brand colour


@pytest.mark.parametrize(
    ("colour", "text"), [("#ffcc00", WHITE), ("#7fbfff", WHITE), ("#1f4e8c", BLACK)]
)
def test_the_suggested_shade_passes_and_keeps_close_to_the_colour(colour, text):
    shade = passing_shade(colour, text)
    assert shade != colour
    assert contrast_ratio(shade, text) >= AA_NORMAL_TEXT
    # Darker for white text, lighter for black text.
    if text == WHITE:
        assert contrast_ratio(shade, BLACK) < contrast_ratio(colour, BLACK)
    else:
        assert contrast_ratio(shade, WHITE) < contrast_ratio(colour, WHITE)


def test_a_passing_colour_is_its_own_shade():
    assert passing_shade("#1F4E8C", WHITE) == "#1f4e8c"
