"""Strings shared by every page: the frame, navigation, footer and notices."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "app.title": ("天香骑行导览", "Tianxiang Cycling Guide"),
    "app.tagline": ("绍兴上虞 · 梁湖街道", "Lianghu, Shangyu, Shaoxing"),
    "nav.cyclists": ("骑行者", "Cyclists"),
    "nav.editors": ("编辑", "Editors"),
    "nav.organisers": ("赛事组织", "Organisers"),
    "nav.staff": ("工作人员", "Staff"),
    "lang.label": ("语言", "Language"),
    "notice.illustrative": (
        "示意数据：本页的路线和兴趣点是根据公开介绍绘制的示意内容，位置为近似值，海拔为合成数据，不是实地测绘结果。",
        "Illustrative data: the routes and points of interest shown here are drawn from public descriptions, with "
        "approximate positions and synthetic elevations. They are not surveyed.",
    ),
    "footer.attribution": (
        "地图：© OpenStreetMap 贡献者（ODbL）、OpenTopoMap（CC-BY-SA）、高德地图、天地图。"
        "路线与兴趣点：天香骑行导览编辑部；示意数据已标明。",
        "Maps: © OpenStreetMap contributors (ODbL), OpenTopoMap (CC-BY-SA), Amap/Gaode, Tianditu. "
        "Routes and points of interest: Tianxiang Cycling Guide editors; illustrative records are marked.",
    ),
    "common.choose": ("请选择", "Choose"),
    "error.generic": ("出现问题，请稍后再试。", "Something went wrong; please try again later."),
    "error.store": ("无法读取路线数据库：{detail}", "Cannot read the route database: {detail}"),
}
