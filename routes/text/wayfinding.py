"""Strings for descents, the map marker legend and the map approval number (审图号) shown with map attributions."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # Descents, next to the climbing figures.
    "fact.steepest_down": ("最陡 100 米下坡", "Steepest 100 m downhill"),
    "fact.longest_descent": ("最长下坡", "Longest descent"),
    "descent.summary": (
        "{length}，下降 {drop}，平均 {grade}（第 {a}–{b} 公里）",
        "{length}, {drop} down at {grade} (km {a}–{b})",
    ),
    "descent.none": ("无明显下坡", "No descent to speak of"),
    # The one- or two-character mark inside each kind's map pin (static/light/viewer.js). Chinese: the first
    # character of the kind's name. English: the initial, except where two kinds would share one — a toilet is
    # "WC" and a hospital "H" (what signs say), so a village is "Vi"; a clinic "+", a hazard "!". Every mark is
    # distinct in its language (tests/web/test_light_visitor.py); the legend under the map says which is which.
    "marker.viewpoint": ("观", "V"),
    "marker.tea_garden": ("茶", "T"),
    "marker.lake": ("湖", "L"),
    "marker.village": ("村", "Vi"),
    "marker.culture": ("文", "C"),
    "marker.food": ("餐", "F"),
    "marker.water": ("水", "W"),
    "marker.toilet": ("厕", "WC"),
    "marker.repair": ("修", "R"),
    "marker.parking": ("停", "P"),
    "marker.accommodation": ("住", "A"),
    "marker.hazard": ("险", "!"),
    "marker.start_finish": ("起", "S"),
    "marker.hospital": ("医", "H"),
    "marker.clinic": ("诊", "+"),
    # The marker legend under a map.
    "legend.title": ("图例", "Map key"),
    "legend.places": ("地点", "Places"),
    "legend.label": ("地图图例：各类地点的标记", "Map key: the marker of each kind of place"),
    # The light place page (/r/poi/<id>): its small map, and the way back to the route it was opened from.
    "light.poi_map_label": ("{name}的位置地图", "Map of {name}"),
    "light.back_to_route": ("← 返回{route}", "← Back to {route}"),
    # The map provider's approval number (审图号), appended to a Chinese basemap's attribution.
    "approval.text": ("审图号：{number}号", "Map approval No. {number}"),
}
