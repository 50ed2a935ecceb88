"""Strings for accessibility and small screens: names of map controls, skip links, text alternatives of figures."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "a11y.map_frame": ("交互地图", "Interactive map"),
    "a11y.skip_map": ("跳过地图", "Skip the map"),
    "a11y.after_map": ("地图之后", "After the map"),
    "cat.sketch_alt": ("海拔剖面略图：全程 {km}，累计爬升 {gain}", "Elevation sketch: {km} in all, {gain} of climbing"),
    "profile.poi_at": ("第 {km} 公里", "at km {km}"),
    "map.gesture.touch": ("用双指移动地图，单指滑动可滚动页面", "Use two fingers to move the map"),
    "map.gesture.scroll": ("按住 Ctrl 键并滚动可缩放地图", "Use Ctrl + scroll to zoom the map"),
    "map.gesture.scroll_mac": ("按住 ⌘ 键并滚动可缩放地图", "Use ⌘ + scroll to zoom the map"),
    "map.zoom_in": ("放大", "Zoom in"),
    "map.zoom_out": ("缩小", "Zoom out"),
    "map.layers": ("选择底图", "Choose the basemap"),
    "map.region": ("地图，可用方向键移动，加号和减号缩放", "Map: arrow keys move it, plus and minus zoom"),
    "map.legend_toggle": ("坡度图例", "Gradient legend"),
    "map.popup_close": ("关闭弹窗", "Close the popup"),
    "race.profile.alt": (
        "赛段海拔剖面图：全程 {km} 公里，累计爬升 {gain} 米，{climbs} 个爬坡，{points} 个赛事标记。"
        "详细数据见下方表格。",
        "Stage profile: {km} km in all, {gain} m of climbing, {climbs} climbs and {points} course markers. "
        "The tables below give the figures.",
    ),
    "race.profile.climbs_table": ("剖面图上的爬坡", "Climbs on the profile"),
    "race.col.no": ("编号", "No."),
    "race.col.first_km": ("首次经过（公里）", "First passed (km)"),
    "race.profile.markers_table": ("地图和剖面图上的编号标记", "Numbered markers on the map and the profile"),
    "race.col.climb": ("爬坡", "Climb"),
    "race.col.summit_km": ("坡顶（公里）", "Summit (km)"),
    "race.col.length_grade": ("长度 · 平均坡度", "Length · average grade"),
    "race.col.category": ("等级", "Category"),
}
