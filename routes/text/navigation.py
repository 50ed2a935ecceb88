"""Strings of getting to a route's start and back from its finish (routes/views/navlinks.py), on the light route
page and the Streamlit route page."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "nav.heading": ("前往起点", "Getting to the start"),
    "nav.start_name": ("{name}起点", "Start of {name}"),
    "nav.finish_name": ("{name}终点", "Finish of {name}"),
    "nav.start_at": ("起点坐标（WGS-84）：{lat}, {lon}", "Start (WGS-84): {lat}, {lon}"),
    "nav.intro": (
        "用手机地图导航到起点（链接已换算为各地图自己的坐标，不会偏几百米）：",
        "Directions to the start in a phone's map app (each link carries its app's own coordinates, so the pin is "
        "not hundreds of metres off):",
    ),
    "nav.app.amap": ("高德地图（骑行）", "Amap (cycling)"),
    "nav.app.baidu": ("百度地图（骑行）", "Baidu Maps (cycling)"),
    "nav.app.apple": ("苹果地图", "Apple Maps"),
    "nav.app.geo": ("其他地图应用", "Another map app"),
    "nav.back_heading": ("从终点回到起点", "From the finish back to the start"),
    "nav.one_way": (
        "这条路线不是环线：终点离起点直线约 {distance}。",
        "This route is one-way: the finish is {distance} from the start as the crow flies.",
    ),
    "nav.back_links": ("从终点导航回起点：", "Directions from the finish back to the start:"),
    "nav.back_route.forward": (
        "已发布的路线“{route}”可以骑回：从它的第 {a} 公里骑到第 {b} 公里，约 {length}。",
        "The published route {route} leads back: ride it from km {a} to km {b}, about {length}.",
    ),
    "nav.back_route.reverse": (
        "已发布的路线“{route}”经过终点和起点：逆着它的方向，从它的第 {a} 公里骑回第 {b} 公里，约 {length}。",
        "The published route {route} passes the finish and the start: ride it backwards from its km {a} to km {b}, "
        "about {length}.",
    ),
    "nav.back_route.wrap": (
        "环线“{route}”经过终点和起点：从它的第 {a} 公里骑过它的起终点，到第 {b} 公里，约 {length}。",
        "The {route} loop passes the finish and the start: ride it from its km {a} on past its start/finish to km "
        "{b}, about {length}.",
    ),
    "nav.back_route_link": ("查看“{route}”", "See {route}"),
    "nav.back_route_none": (
        "没有已发布的路线从终点通往起点；上面的导航链接可以规划回程。",
        "No published route leads from the finish to the start; the links above plan the way back.",
    ),
}
