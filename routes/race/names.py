"""Names of course points in each language: the organiser's own, or one made from the kind and number.

Decision (issue 25): an English page, book or device file never shows a marker's Chinese name. Markers carry an
optional English name; without one the English title is the kind and the marker's number among its kind ("Feed
zone 1", "KOM 2", "Marshal 3"). A place known only by its Chinese name is given to English readers by the organiser
typing it (or its pinyin) into the English field; road names given only in Chinese stay Chinese, as proper names
(routes.race.roads.RoadName.title), and so do hospitals named only in Chinese (routes.race.medical).
"""

from __future__ import annotations

from routes.race.plan import CoursePoint
from routes.text.i18n import t

#: Kinds never numbered in a generated English name: they happen once, or are the planner's own lines.
UNNUMBERED_TITLE_KINDS = ("neutral", "start", "finish", "lap")


def marker_label(point: CoursePoint, lang: str) -> str:
    """The organiser's own name of a marker in ``lang``: English only from the English field (an English book
    never shows the Chinese name, which a reader cannot read aloud); a Chinese book takes the English name when
    no Chinese one was given. Empty when there is none."""
    if point.kind == "lap":
        return ""
    return point.label_en if lang == "en" else (point.label or point.label_en)


def marker_note(point: CoursePoint, lang: str) -> str:
    """The note in ``lang``: an English book shows the English note only; a Chinese book falls back to it."""
    return point.note_en if lang == "en" else (point.note or point.note_en)


def point_title(point: CoursePoint, lang: str) -> str:
    """Kind and name: "补给区 · 两湖" / "Feed zone · Lianghu"; without an English name the English title is the kind
    with the marker's number ("Feed zone 1", "Marshal 3"), so markers stay apart without any Chinese."""
    name = t(f"race.kind.{point.kind}", lang)
    own = marker_label(point, lang)
    if own:
        name = f"{name} · {own}"
    elif lang == "en" and point.number and point.kind not in UNNUMBERED_TITLE_KINDS:
        name = f"{name} {point.number}"
    if point.kind == "kom" and point.category:
        cat = t("race.cat.HC", lang) if point.category == "HC" else t("race.cat", lang, cat=point.category)
        name = f"{name}（{cat}）" if lang == "zh" else f"{name} ({cat})"
    return name
