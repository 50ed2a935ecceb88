"""Strings of the installable, offline light pages: the web app manifest, the offline banner and the offline page."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # Under the icon on a home screen: a launcher cuts names at about 12 Latin letters or 6 Chinese characters.
    "offline.short_name": ("天香骑行", "Tianxiang"),
    "offline.app_desc": (
        "天香骑行线及周边道路的骑行导览：地图、海拔剖面、爬坡和沿途景点；打开过的页面没有网络时也能查看。",
        "A guide to the Tianxiang cycling line and the roads around it: maps, elevation profiles, climbs and places "
        "along the way; pages you have opened stay readable without a signal.",
    ),
    # {time} is filled in by static/light/offline.js with the moment the page was saved, in Beijing time.
    "offline.banner": ("离线浏览：本页保存于 {time}（北京时间）", "Offline: saved on {time} (Beijing time)"),
    "offline.title": ("没有网络", "No signal"),
    "offline.heading": ("现在没有网络", "You are offline"),
    "offline.text": (
        "这个页面还没有保存在这部手机上。打开过的路线页面会自动保存，没有网络时也能查看。",
        "This page has not been saved on this phone yet. Route pages you have opened are saved automatically and "
        "can be read without a signal.",
    ),
    "offline.saved": ("这部手机上已保存的页面", "Saved on this phone"),
    "offline.none_saved": ("还没有保存的页面。", "No page has been saved yet."),
    "offline.retry": ("重新加载", "Try again"),
}
