"""Strings of the light public pages (/r/...): route, catalogue, POI, share picture and the map/profile viewer."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "light.catalogue_title": ("骑行路线 · 天香骑行导览", "Cycling routes · Tianxiang Cycling Guide"),
    "light.catalogue_desc": (
        "绍兴上虞梁湖街道的骑行路线：天香骑行线、曹娥江畔绿道和周边道路。地图、海拔剖面、爬坡、沿途景点和 GPX 下载。",
        "Cycling routes in Lianghu, Shangyu, Shaoxing: the Tianxiang line, the Cao'e riverside and the roads around. "
        "Maps, elevation profiles, climbs, places along the way and GPX downloads.",
    ),
    "light.route_desc": (
        "{name}：{distance}，累计爬升 {ascent}。{desc}",
        "{name}: {distance}, {ascent} of climbing. {desc}",
    ),
    "light.card_facts": ("{distance} · 爬升 {ascent} · {difficulty}", "{distance} · {ascent} up · {difficulty}"),
    "light.full_page": ("打开完整互动页面", "Open the full interactive page"),
    "light.all_routes": ("← 全部路线", "← All routes"),
    "light.skip_map": ("跳过地图", "Skip the map"),
    "light.map_label": ("{name} 的地图", "Map of {name}"),
    "light.map_nojs": (
        "地图需要 JavaScript；路线数据、海拔剖面和沿途景点都在本页文字中。",
        "The map needs JavaScript; the route's figures, profile and places are all in the text of this page.",
    ),
    "light.profile_title": ("{name} 的海拔剖面", "Elevation profile of {name}"),
    "light.profile_summary": (
        "全程 {distance}，海拔 {low} 至 {high}，累计爬升 {ascent}、下降 {descent}。",
        "{distance} long, from {low} to {high} above sea level, {ascent} up and {descent} down.",
    ),
    "light.profile_climbs": ("爬坡：{climbs}。", "Climbs: {climbs}."),
    "light.profile_climb_item": ("第 {a}–{b} 公里 {label}", "km {a}–{b} {label}"),
    "light.profile_pois": ("沿途：{pois}。", "Along the way: {pois}."),
    "light.profile_poi_item": ("第 {km} 公里 {name}", "{name} at km {km}"),
    "light.profile_hint": (
        "在剖面上移动或点按，可在地图上看到该位置；点按地图上的路线，可在剖面上看到该处。",
        "Move along or tap the profile to see the spot on the map; tap the line on the map to see it on the profile.",
    ),
    "light.cursor": ("{km} 公里 · 海拔 {ele} 米 · 坡度 {grade}", "{km} km · {ele} m · grade {grade}"),
    "light.map_activate": ("点按地图后可单指拖动", "Tap the map to move it with one finger"),
    "light.map_two_fingers": ("用两根手指移动地图", "Use two fingers to move the map"),
    "light.map_done": ("完成", "Done"),
    "light.legend_button": ("坡度图例", "Gradient key"),
    "light.zoom_in": ("放大", "Zoom in"),
    "light.zoom_out": ("缩小", "Zoom out"),
    "light.layers": ("切换底图", "Choose the basemap"),
    "light.start_finish": ("起点 / 终点", "Start / finish"),
    "light.km_marker": ("第 {km} 公里", "km {km}"),
    "light.downloads_hint": (
        "GPX 可导入大多数手机应用和码表；TCX 路书带有沿途景点和坡顶提示。",
        "GPX opens in most phone apps and bike computers; the TCX course carries the places and climb summits as cues.",
    ),
    "light.share": ("分享", "Share"),
    "light.share_picture": ("分享图片（横版）", "Share picture (landscape)"),
    "light.poster": ("手机海报（竖版，可发朋友圈）", "Phone poster (portrait, for WeChat moments)"),
    "light.share_link": ("本页链接", "Link to this page"),
    "light.qr_alt": ("本页二维码", "QR code of this page"),
    "light.passing_routes": ("经过这里的路线", "Routes passing here"),
    "light.poi_on_route": ("在“{route}”第 {km} 公里", "km {km} of {route}"),
    "light.poi_title": ("{name} · 天香骑行导览", "{name} · Tianxiang Cycling Guide"),
    "light.position": ("位置（WGS-84）", "Position (WGS-84)"),
    "light.not_found_title": ("找不到这个页面 · Page not found", "Page not found · 找不到这个页面"),
    "light.not_found": (
        "找不到这个页面：路线可能尚未发布或已改名。",
        "This page does not exist: the route may not be published yet, or it was renamed.",
    ),
    "light.pic_distance": ("距离", "Distance"),
    "light.pic_ascent": ("爬升", "Ascent"),
    "light.pic_scan": ("扫码查看路线", "Scan for the route"),
    "light.pic_illustrative": ("示意数据，非实测", "Illustrative data, not surveyed"),
    "light.elevation_m": ("{ele} 米", "{ele} m"),
    "light.km_label": ("{km} 公里", "{km} km"),
}
