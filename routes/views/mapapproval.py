"""Map approval numbers (审图号) shown with the attribution of the Chinese basemaps.

A map published online in China must show the approval number the map provider got from the Ministry of Natural
Resources (测绘地理信息 rules; the provider prints it next to its copyright). The number belongs to the provider's
map data and changes when the provider renews it, so it is configuration, not code:

* ``PUBLISHED_APPROVAL`` below holds the number per basemap as last checked by an operator ("" = not yet confirmed);
* ``GUIDE_MAP_APPROVAL_<KEY>`` (e.g. ``GUIDE_MAP_APPROVAL_AMAP``) overrides it at deployment without a code change.

Every map that draws a basemap's tiles takes its attribution from routes.views.maps.basemaps(), which appends the
number through :func:`with_approval`, so the folium maps, the light viewer, ride mode, the embed and the editor maps
all show the same configured text.
"""

from __future__ import annotations

import html
import os

from routes.text.i18n import t

#: The approval number of each Chinese basemap's data, as the provider publishes it:
#:   amap / amap_sat — AutoNavi (高德): in the footer of amap.com and in the lower corner of its JS API maps;
#:   tianditu — 天地图 (National Platform for Common GeoSpatial Information Services): in the footer of tianditu.gov.cn.
#: The numbers are renewed (a new GS(year)… number) from time to time: an operator must check them at least once a
#: year and on every provider change. Left empty here because no number has been confirmed against the provider's own
#: page for this release; docs/maps.md says how to set it. OSM and OpenTopoMap carry no Chinese approval number.
PUBLISHED_APPROVAL: dict[str, str] = {
    "amap": "",
    "amap_sat": "",
    "tianditu": "",
}
#: Basemaps of the same provider and data: without a number of their own they show the provider's (Amap's satellite
#: layer is AutoNavi's map service like its road map).
SAME_PROVIDER = {"amap_sat": "amap"}
#: Environment variable prefix of the per-basemap override: GUIDE_MAP_APPROVAL_AMAP, …_AMAP_SAT, …_TIANDITU.
ENV_PREFIX = "GUIDE_MAP_APPROVAL_"
#: What an operator may write around the number itself; stripped so "审图号：GS(2024)1234号" and "GS(2024)1234"
#: both give the same attribution.
_PREFIXES = ("审图号：", "审图号:", "审图号")
_SUFFIX = "号"


def approval_number(basemap_key: str) -> str:
    """The configured number of a basemap, bare ("GS(2024)1234"); "" when none is configured or none is needed."""
    if basemap_key not in PUBLISHED_APPROVAL:
        return ""
    value = os.environ.get(ENV_PREFIX + basemap_key.upper(), PUBLISHED_APPROVAL[basemap_key])
    if not value.strip() and basemap_key in SAME_PROVIDER:
        return approval_number(SAME_PROVIDER[basemap_key])
    value = " ".join(value.split())
    for prefix in _PREFIXES:
        if value.startswith(prefix):
            value = value[len(prefix):].strip()
            break
    return value.removesuffix(_SUFFIX).strip()


def approval_text(basemap_key: str, lang: str) -> str:
    """"审图号：GS(2024)1234号" / "Map approval No. GS(2024)1234"; "" when no number is configured."""
    number = approval_number(basemap_key)
    return t("approval.text", lang, number=number) if number else ""


def with_approval(attr_html: str, basemap_key: str, lang: str) -> str:
    """A basemap's attribution HTML with its approval number appended (escaped: it comes from the environment)."""
    text = approval_text(basemap_key, lang)
    return f'{attr_html} | <span class="approval">{html.escape(text)}</span>' if text else attr_html


__all__ = ["ENV_PREFIX", "PUBLISHED_APPROVAL", "SAME_PROVIDER", "approval_number", "approval_text", "with_approval"]
