"""Gradient bands shared by map and profile."""

from __future__ import annotations

import numpy as np

from routes.analysis.grades import GRADE_BANDS, band_colour, band_index


def test_band_boundaries_are_inclusive_below():
    keys = [GRADE_BANDS[i].key for i in band_index([-10, -3.0, -2.9, 2.9, 3.0, 6.0, 9.0, 12.0, 30.0])]
    assert keys == ["descent", "flat", "flat", "flat", "moderate", "hard", "steep", "wall", "wall"]


def test_unknown_grade_is_flat():
    assert GRADE_BANDS[int(band_index([np.nan])[0])].key == "flat"
    assert band_colour(float("nan")) == band_colour(0.0)
