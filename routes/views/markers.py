"""What marks each kind of place on a map, and the legend of the kinds a map actually shows.

The light viewer draws a coloured pin with a short mark (routes/text/wayfinding.py, ``marker.<kind>``); the folium
maps draw an awesome-markers pin with a Font Awesome icon (routes.views.maps.CATEGORY_STYLES). Both are distinct per
kind in either language, and both maps carry a legend of the kinds on them.
"""

from __future__ import annotations

from collections.abc import Iterable

from routes.store.records import POI_CATEGORIES
from routes.text.i18n import has_key, t

#: A kind without a mark of its own (one added to the store before its mark): a neutral dot, never a wrong letter.
FALLBACK_MARK = "•"


def marker_glyph(category: str, lang: str) -> str:
    """The short mark inside a kind's pin in ``lang``: 观 / V for a viewpoint, 厕 / WC for a toilet."""
    key = f"marker.{category}"
    return t(key, lang) if has_key(key) else FALLBACK_MARK


def legend_kinds(categories: Iterable[str]) -> list[str]:
    """The kinds present, once each, in the store's order of kinds (so every map's legend reads in the same order)."""
    present = set(categories)
    ordered = [k for k in POI_CATEGORIES if k in present]
    return ordered + sorted(present - set(ordered))


__all__ = ["FALLBACK_MARK", "legend_kinds", "marker_glyph"]
