"""A place's short free texts as a visitor in either language may read them: never Chinese on an English page."""

from __future__ import annotations

import re

from routes.text.i18n import has_cjk, pick_unmixed

#: A clock-time range such as "10:30–20:00", "8:00-17:30" or "07:30 ~ 19:00": digits and punctuation only, so it
#: reads the same in either language.
TIME_RANGE = re.compile(r"\d{1,2}[:：]\d{2}\s*[-–—~～至到]\s*\d{1,2}[:：]\d{2}")


def _neutral_range(text: str) -> str:
    """"10:30–20:00" from "约 10:30–20:00" (several ranges joined by ", "); "" when there is none."""
    found = [re.sub(r"\s*[-–—~～至到]\s*", "–", m.replace("：", ":")) for m in TIME_RANGE.findall(text)]
    return ", ".join(found)


def poi_hours(hours: str | None, hours_en: str | None, lang: str) -> str:
    """Opening hours in ``lang``. Chinese page: the Chinese text (or the English one when that is all there is). English
    page: ``hours_en``; without it the Chinese text only when it has no Chinese in it, else just its clock-time range
    ("约 10:30–20:00" → "10:30–20:00"), else nothing."""
    text = pick_unmixed(hours, hours_en, lang)
    if text or lang != "en":
        return text
    zh = (hours or "").strip()
    return _neutral_range(zh) if has_cjk(zh) else ""


__all__ = ["TIME_RANGE", "poi_hours"]
