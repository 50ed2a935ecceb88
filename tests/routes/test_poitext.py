"""Opening hours in the reader's language: an English page never shows Chinese text."""

from __future__ import annotations

import pytest

from routes.views.poitext import poi_hours


@pytest.mark.parametrize(
    ("hours", "hours_en", "lang", "shown"),
    [
        ("约 10:30–20:00", "", "en", "10:30–20:00"),  # the case: only the clock times, never "约"
        ("约 10:30–20:00", "about 10:30–20:00", "en", "about 10:30–20:00"),
        ("约 10:30–20:00", "", "zh", "约 10:30–20:00"),
        ("08:00-12:00，14:00～18:00", "", "en", "08:00–12:00, 14:00–18:00"),
        ("9：00 至 17：00", "", "en", "9:00–17:00"),
        ("节假日营业", "", "en", ""),  # Chinese words and no time: nothing rather than Chinese
        ("08:00–18:00", "", "en", "08:00–18:00"),  # language-neutral already
        ("", "daily 8–6", "zh", "daily 8–6"),  # nothing in Chinese: the English text is better than nothing
        ("", "", "en", ""),
    ],
)
def test_poi_hours(hours, hours_en, lang, shown):
    assert poi_hours(hours, hours_en, lang) == shown
