"""UI strings in Chinese and English, language resolution and number formatting for display."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from routes.text import (
    a11y,
    checks,
    common,
    cyclists,
    drawing,
    editors,
    facts,
    figures,
    light,
    navigation,
    offline,
    photos,
    race,
    racepublic,
    safety,
    versions,
    wayfinding,
)

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
#: The zone every time a person reads is shown in (the guide's roads, its race book and start times): Beijing time,
#: which has no daylight saving. Storage stays UTC; only :func:`fmt_datetime` converts, at the moment of showing.
GUIDE_TIME_ZONE = "Asia/Shanghai"
#: How a moment is shown: to the minute, the same digits in both languages (a table column reads alike in either).
DATETIME_FORMAT = "%Y-%m-%d %H:%M"

#: Tables of ``STRINGS = {key: (zh, en)}``, one per area of the app. A new area adds its module here.
STRING_MODULES = (common, cyclists, editors, race, figures, safety, light, a11y, navigation, offline, photos,
                  wayfinding, versions, facts, checks, racepublic,
                  drawing)


@cache
def _table() -> dict[str, tuple[str, str]]:
    """All strings merged; built once per process from immutable module constants."""
    merged: dict[str, tuple[str, str]] = {}
    for module in STRING_MODULES:
        for key, pair in module.STRINGS.items():
            if key in merged:
                raise ValueError(f"string key {key!r} is defined twice ({module.__name__})")
            merged[key] = pair
    return merged


def resolve_lang(value: object) -> str:
    """The language asked for by a query parameter or setting; the default for anything unknown."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    text = str(value or "").strip().lower()
    if text.startswith("en"):
        return "en"
    if text.startswith("zh") or text in ("cn", "中文"):
        return "zh"
    return DEFAULT_LANG


def t(key: str, lang: str, **params: Any) -> str:
    """The string ``key`` in ``lang``, formatted with ``params``. An unknown key raises KeyError (a bug, not input)."""
    zh, en = _table()[key]
    text = en if lang == "en" else zh
    return text.format(**params) if params else text


def tn(key: str, lang: str, count: int, **params: Any) -> str:
    """``t`` for a sentence with a count: English uses ``key + ".one"`` when the count is 1 (Chinese has no plural)."""
    if lang == "en" and count == 1 and has_key(key + ".one"):
        return t(key + ".one", lang, count=count, **params)
    return t(key, lang, count=count, **params)


def has_key(key: str) -> bool:
    return key in _table()


def all_keys() -> list[str]:
    return sorted(_table())


def pick(zh: str | None, en: str | None, lang: str) -> str:
    """Bilingual content in ``lang``, falling back to the other language when that one is empty."""
    from routes.core.textsafety import strip_bidi

    first, second = (en, zh) if lang == "en" else (zh, en)
    return strip_bidi(first or second or "").strip()  # records stored before bidi controls were refused


def has_cjk(text: str | None) -> bool:
    """True when ``text`` holds any Chinese character (CJK unified ideographs or CJK punctuation)."""
    return any("\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
               for ch in text or "")


def pick_unmixed(zh: str | None, en: str | None, lang: str) -> str:
    """Like :func:`pick`, but an English page falls back to the Chinese text only when it has no Chinese in it
    ("08:00–18:00" yes, "约 08:00–18:00" no): short free text such as opening hours must not mix languages."""
    if lang == "en":
        en_text, zh_text = (en or "").strip(), (zh or "").strip()
        return en_text or ("" if has_cjk(zh_text) else zh_text)
    return pick(zh, en, lang)


def shorten(text: str, max_chars: int) -> str:
    """``text`` cut to at most ``max_chars`` characters with an ellipsis; English is cut at a word boundary."""
    text = " ".join(str(text).split())
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    space = cut.rfind(" ")
    if space > max_chars * 0.6:  # Chinese has no spaces: cut anywhere; English: do not split a word
        cut = cut[:space]
    return cut.rstrip(" ,.;:，。；：、") + "…"


# --- numbers for people -------------------------------------------------------------------------------------------


def fmt_km(distance_m: float | None, lang: str, *, digits: int = 1) -> str:
    if distance_m is None or not math.isfinite(distance_m):
        return "–"
    return f"{distance_m / 1000:.{digits}f} " + ("公里" if lang == "zh" else "km")


def fmt_m(value_m: float | None, lang: str) -> str:
    if value_m is None or not math.isfinite(value_m):
        return "–"
    return f"{value_m:,.0f} " + ("米" if lang == "zh" else "m")


def fmt_pct(value_pct: float | None) -> str:
    if value_pct is None or not math.isfinite(value_pct):
        return "–"
    return f"{value_pct:.1f} %"


def fmt_datetime(value: datetime | None, lang: str) -> str:
    """A stored moment as a person reads it: in the guide's zone (:data:`GUIDE_TIME_ZONE`), to the minute,
    "2026-05-01 08:30"; "–" when there is none. A naive value is UTC (how the store keeps every time)."""
    if not isinstance(value, datetime):
        return "–"
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(GUIDE_TIME_ZONE)).strftime(DATETIME_FORMAT)


def fmt_duration(duration_s: float | None, lang: str) -> str:
    """Hours and minutes, rounded to the minute: "2 小时 05 分" / "2 h 05 min"."""
    if duration_s is None or not math.isfinite(duration_s):
        return "–"
    minutes = int(round(duration_s / 60))
    h, m = divmod(minutes, 60)
    if lang == "zh":
        return f"{h} 小时 {m:02d} 分" if h else f"{m} 分钟"
    return f"{h} h {m:02d} min" if h else f"{m} min"
