"""Getting to a route's start: links that open a phone's map app with directions there, each in the coordinate system
that app expects, and, after a one-way route, the way from its finish back to the start.

The guide keeps every position in WGS-84. Amap and Baidu read a bare coordinate in their own offset systems (at
Lianghu GCJ-02 is ≈ 0.5 km and BD-09 ≈ 1.1 km away from WGS-84), so each link carries coordinates converted for its
app and says which system they are in. Apple Maps and ``geo:`` URIs take WGS-84.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

import numpy as np

from routes.core.geo import geodesic_m
from routes.io.chinacoords import wgs84_to_bd09, wgs84_to_gcj02
from routes.text.i18n import fmt_km, pick, t

#: A route whose finish is farther than this from its start is one-way: the rider still has to get back to the start.
ONE_WAY_MIN_GAP_M = 500.0
#: A published route counts as a way back when it comes this close to the finish and to the start. Half the one-way
#: gap, so that no single point of another route is "near" both ends at once.
WAY_BACK_NEAR_M = ONE_WAY_MIN_GAP_M / 2
#: In choosing where to join and leave a way back, a metre off the route (on roads nobody has checked) counts this many
#: metres along it: the rider joins the route close to the finish rather than wherever the sum is least.
OFF_ROUTE_WEIGHT = 2.0
#: Decimal places of the degrees in a link (1e-6° ≈ 0.1 m: far finer than any map app places a pin).
LINK_DECIMALS = 6
AMAP_NAV_URL = "https://uri.amap.com/navigation"
BAIDU_NAV_URL = "https://api.map.baidu.com/direction"
APPLE_MAPS_URL = "https://maps.apple.com/"
#: Who is asking, as the Amap and Baidu URI APIs want it said (Baidu asks for "webapp.<company>.<app>").
AMAP_SOURCE = "tianxiang-cycling-guide"
BAIDU_SOURCE = "webapp.lianghu.tianxiang-guide"
#: Apple Maps' link parameters have no cycling mode (d driving, w walking, r transit): walking directions keep a
#: rider off expressways, and the app switches to cycling with one tap where it offers cycling.
APPLE_DIRFLG = "w"
#: Characters that separate the fields of these links (Amap's "lon,lat,name", Baidu's "latlng:…|name:…", the label
#: in "geo:…(name)"); a place name never carries them into a link.
LINK_SEPARATORS = re.compile(r"[,|:()]")
#: The map apps, in the order the links are shown, and the coordinate system each link's coordinates are in.
APP_COORDS = {"amap": "gcj02", "baidu": "bd09ll", "apple": "wgs84", "geo": "wgs84"}


@dataclass(frozen=True)
class Place:
    """A named position in WGS-84."""

    lat: float
    lon: float
    name: str


@dataclass(frozen=True)
class NavLink:
    app: str  # a key of APP_COORDS
    label: str
    url: str
    #: The coordinate system of the coordinates in ``url`` ("gcj02", "bd09ll" or "wgs84"), as the link declares it.
    coords: str


@dataclass(frozen=True)
class WayBackRoute:
    """A stretch of a published route from near the finish to near the start."""

    slug: str
    name: str
    #: Where on that route the stretch begins (near the finish) and ends (near the start), in metres along it.
    from_m: float
    to_m: float
    length_m: float
    #: "forward" (the route's own direction), "reverse" (against it) or "wrap" (a loop, on past its start/finish).
    direction: str


@dataclass(frozen=True)
class WayBack:
    """The way from a one-way route's finish back to its start."""

    gap_m: float  # straight line, finish to start
    finish: Place
    links: list[NavLink]
    route: WayBackRoute | None


@dataclass(frozen=True)
class GettingThere:
    start: Place
    links: list[NavLink]
    way_back: WayBack | None


# --- the links ------------------------------------------------------------------------------------------------------


def _deg(value: float) -> str:
    return f"{value:.{LINK_DECIMALS}f}"


def _clean(name: str) -> str:
    return " ".join(LINK_SEPARATORS.sub(" ", name).split())


def _amap_point(p: Place) -> str:
    lat, lon = wgs84_to_gcj02(p.lat, p.lon)
    return quote(f"{_deg(lon)},{_deg(lat)},{_clean(p.name)}", safe=",")


def amap_url(to: Place, origin: Place | None = None) -> str:
    """Amap's URI API, riding directions; GCJ-02 coordinates, declared with coordinate=gaode. Without ``origin`` the
    app starts from where the phone is."""
    start = f"from={_amap_point(origin)}&" if origin else ""
    return (f"{AMAP_NAV_URL}?{start}to={_amap_point(to)}&mode=ride&src={quote(AMAP_SOURCE)}"
            f"&coordinate=gaode&callnative=1")


def _baidu_point(p: Place) -> str:
    lat, lon = wgs84_to_bd09(p.lat, p.lon)
    return quote(f"latlng:{_deg(lat)},{_deg(lon)}|name:{_clean(p.name)}", safe=",:|")


def baidu_url(to: Place, origin: Place | None = None) -> str:
    """Baidu Maps' URI API, riding directions; BD-09 coordinates, declared with coord_type=bd09ll. Without
    ``origin`` the app starts from where the phone is."""
    start = f"origin={_baidu_point(origin)}&" if origin else ""
    return (f"{BAIDU_NAV_URL}?{start}destination={_baidu_point(to)}&coord_type=bd09ll&mode=riding&output=html"
            f"&src={quote(BAIDU_SOURCE)}")


def apple_url(to: Place, origin: Place | None = None) -> str:
    """Apple Maps directions (WGS-84: Apple shifts to its Chinese basemap itself)."""
    start = f"saddr={_deg(origin.lat)},{_deg(origin.lon)}&" if origin else ""
    return f"{APPLE_MAPS_URL}?{start}daddr={_deg(to.lat)},{_deg(to.lon)}&dirflg={APPLE_DIRFLG}"


def geo_uri(to: Place) -> str:
    """An RFC 5870 geo: URI (WGS-84) with a pin label: Android offers every map app installed."""
    ll = f"{_deg(to.lat)},{_deg(to.lon)}"
    return f"geo:{ll}?q={ll}({quote(_clean(to.name))})"


def nav_links(to: Place, lang: str, origin: Place | None = None) -> list[NavLink]:
    """The four links to ``to`` (from ``origin``, or from wherever the phone is), labelled in ``lang``."""
    urls = {"amap": amap_url(to, origin), "baidu": baidu_url(to, origin), "apple": apple_url(to, origin),
            "geo": geo_uri(to)}
    return [NavLink(app, t(f"nav.app.{app}", lang), urls[app], coords) for app, coords in APP_COORDS.items()]


# --- the way back ---------------------------------------------------------------------------------------------------


def _distances_m(track: object, lat: float, lon: float) -> np.ndarray:
    n = len(track.lat)
    return geodesic_m(np.full(n, lat), np.full(n, lon), track.lat, track.lon)


def _is_loop(track: object) -> bool:
    return float(geodesic_m(track.lat[0], track.lon[0], track.lat[-1], track.lon[-1])) <= WAY_BACK_NEAR_M


def way_back_route(start: Place, finish: Place, cards: Sequence[object], lang: str, *,
                   exclude: str = "") -> WayBackRoute | None:
    """The shortest stretch of a published route (``cards``: guide.RouteCard) that leads from near ``finish`` to near
    ``start``: one that starts near the finish and ends near the start, or any that passes both, ridden its own way,
    against it, or (a loop) on past its start/finish. None when no published route passes both.

    "Shortest" counts the whole way: from the finish to where the rider joins the route, along it, and from where
    the rider leaves it to the start (each of those two ends at most WAY_BACK_NEAR_M, weighted OFF_ROUTE_WEIGHT)."""
    best: tuple[float, WayBackRoute] | None = None
    for card in cards:
        info, ra = card.info, card.ra
        if info.slug == exclude or len(ra.track.lat) < 2:
            continue
        track, d = ra.track, np.asarray(ra.analysis.point_distance_m, dtype=np.float64)
        to_finish, to_start = _distances_m(track, finish.lat, finish.lon), _distances_m(track, start.lat, start.lon)
        at_finish, at_start = np.flatnonzero(to_finish <= WAY_BACK_NEAR_M), np.flatnonzero(to_start <= WAY_BACK_NEAR_M)
        if not len(at_finish) or not len(at_start):
            continue
        f_m, s_m = d[at_finish][:, None], d[at_start][None, :]
        ends_m = OFF_ROUTE_WEIGHT * (to_finish[at_finish][:, None] + to_start[at_start][None, :])
        options = {"forward": np.where(s_m >= f_m, s_m - f_m, np.inf),
                   "reverse": np.where(f_m > s_m, f_m - s_m, np.inf)}
        if _is_loop(track):
            options["wrap"] = np.where(f_m > s_m, float(d[-1]) - f_m + s_m, np.inf)
        for direction, lengths in options.items():  # forward first: it wins a tie
            total = lengths + ends_m
            i, j = np.unravel_index(int(np.argmin(total)), total.shape)
            if np.isfinite(total[i, j]) and (best is None or total[i, j] < best[0]):
                best = (float(total[i, j]), WayBackRoute(info.slug, pick(info.name_zh, info.name_en, lang),
                                                         float(f_m[i, 0]), float(s_m[0, j]), float(lengths[i, j]),
                                                         direction))
    return best[1] if best else None


def getting_there(info: object, ra: object, lang: str, cards: Sequence[object] = ()) -> GettingThere:
    """Links to the start of the route (RouteInfo ``info``, guide.RouteAnalysis ``ra``); for a one-way route also the
    straight-line gap back, links from the finish to the start, and a published route that leads back, if any
    (``cards``: the published routes, guide.route_cards)."""
    name = pick(info.name_zh, info.name_en, lang)
    tr = ra.track
    start = Place(float(tr.lat[0]), float(tr.lon[0]), t("nav.start_name", lang, name=name))
    finish = Place(float(tr.lat[-1]), float(tr.lon[-1]), t("nav.finish_name", lang, name=name))
    gap_m = float(geodesic_m(start.lat, start.lon, finish.lat, finish.lon))
    back = None
    if gap_m > ONE_WAY_MIN_GAP_M:
        found = way_back_route(start, finish, cards, lang, exclude=info.slug)
        back = WayBack(gap_m, finish, nav_links(start, lang, origin=finish), found)
    return GettingThere(start, nav_links(start, lang), back)


# --- in words -------------------------------------------------------------------------------------------------------

#: Decimal places of the start's coordinates as printed (1e-5° ≈ 1 m: enough to type into a device by hand).
SHOWN_DECIMALS = 5


def start_text(gt: GettingThere, lang: str) -> str:
    return t("nav.start_at", lang, lat=f"{gt.start.lat:.{SHOWN_DECIMALS}f}", lon=f"{gt.start.lon:.{SHOWN_DECIMALS}f}")


def one_way_text(back: WayBack, lang: str) -> str:
    return t("nav.one_way", lang, distance=fmt_km(back.gap_m, lang))


def back_route_text(back: WayBack, lang: str) -> str:
    """The published route that leads back, in a sentence (its name is for the caller to link: ``{route}`` is filled
    with the name as plain text); says so when there is none."""
    r = back.route
    if r is None:
        return t("nav.back_route_none", lang)
    return t(f"nav.back_route.{r.direction}", lang, route=r.name, a=f"{r.from_m / 1000:.1f}", b=f"{r.to_m / 1000:.1f}",
             length=fmt_km(r.length_m, lang))


def texts(gt: GettingThere, lang: str) -> dict[str, str]:
    """The section's sentences in ``lang``: "start", and for a one-way route "one_way" and "back_route"."""
    out = {"start": start_text(gt, lang)}
    if gt.way_back is not None:
        out.update(one_way=one_way_text(gt.way_back, lang), back_route=back_route_text(gt.way_back, lang))
    return out


def markdown(gt: GettingThere, lang: str, *, route_href: Callable[[str], str], literal: Callable[[str], str]) -> str:
    """The section as Markdown (for the Streamlit route page; the light page has its template): the start, its
    links, and for a one-way route the way back. ``route_href(slug)``: where a route's name links to; ``literal``:
    makes text literal Markdown (route names are editors' text)."""

    def link_list(links: Sequence[NavLink]) -> str:
        # One a line: a finger finds each. <…> around the address: a geo: URI's pin label sits in parentheses.
        return "\n".join(f"- [{literal(link.label)}](<{link.url}>)" for link in links)

    words = texts(gt, lang)
    parts = [literal(words["start"]), literal(t("nav.intro", lang)), link_list(gt.links)]
    back = gt.way_back
    if back is not None:
        route = literal(words["back_route"])
        if back.route is not None:
            label = literal(t("nav.back_route_link", lang, route=back.route.name))
            route += f" [{label}](<{route_href(back.route.slug)}>)"
        parts += [f"**{literal(t('nav.back_heading', lang))}**", literal(words["one_way"]), route,
                  literal(t("nav.back_links", lang)), link_list(back.links)]
    return "\n\n".join(parts)
