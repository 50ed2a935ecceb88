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
    # data notes from reading and analysis (routes.views.notes); ".one" is the English singular, used for a count of 1
    "note.elevation_spikes": ("已忽略 {count} 处海拔突变", "{count} elevation spikes were ignored"),
    "note.elevation_spikes.one": ("已忽略 {count} 处海拔突变", "{count} elevation spike was ignored"),
    "note.bad_timestamps": ("已忽略 {count} 个无法读取的时间", "{count} unreadable timestamps were ignored"),
    "note.bad_timestamps.one": ("已忽略 {count} 个无法读取的时间", "{count} unreadable timestamp was ignored"),
    "note.naive_times": (
        "{count} 个时间没有时区，已按协调世界时（UTC）读取",
        "{count} times had no time zone and were read as UTC",
    ),
    "note.naive_times.one": (
        "{count} 个时间没有时区，已按协调世界时（UTC）读取",
        "{count} time had no time zone and was read as UTC",
    ),
    "note.bad_times": ("已忽略 {count} 个无法读取的时间", "{count} times could not be read and were ignored"),
    "note.bad_times.one": ("已忽略 {count} 个无法读取的时间", "{count} time could not be read and was ignored"),
    "note.bad_coords": ("已去掉 {count} 个坐标不可能的点", "{count} points with impossible coordinates were dropped"),
    "note.bad_coords.one": ("已去掉 {count} 个坐标不可能的点", "{count} point with impossible coordinates was dropped"),
    "note.far_points": ("已去掉 {count} 个与轨迹其余部分相距过远的点", "{count} points too far from the rest of the track were dropped"),
    "note.far_points.one": ("已去掉 {count} 个与轨迹其余部分相距过远的点", "{count} point too far from the rest of the track was dropped"),
    "note.absurd_ele": ("已忽略 {count} 个超出 −500 至 9000 米的海拔值", "{count} elevations outside −500 to 9 000 m were ignored"),
    "note.absurd_ele.one": ("已忽略 {count} 个超出 −500 至 9000 米的海拔值", "{count} elevation outside −500 to 9 000 m was ignored"),
    "note.absurd_times": ("已忽略 {count} 个日期不可信的时间", "{count} times outside a credible date range were ignored"),
    "note.absurd_times.one": ("已忽略 {count} 个日期不可信的时间", "{count} time outside a credible date range was ignored"),
    "note.missing_ele": ("{total} 个点中有 {count} 个没有海拔", "{count} of {total} points have no elevation"),
    "note.missing_ele.one": ("{total} 个点中有 {count} 个没有海拔", "{count} of {total} points has no elevation"),
    "note.dem_filled": ("已用高程模型补全 {count} 个缺失的海拔", "{count} missing elevations filled from the DEM"),
    "note.dem_filled.one": ("已用高程模型补全 {count} 个缺失的海拔", "{count} missing elevation filled from the DEM"),
    "note.dem_replaced": (
        "已用高程模型替换 {total} 个点中 {count} 个点的海拔",
        "Elevation replaced from the DEM at {count} of {total} points",
    ),
    "note.time_backwards": (
        "有 {count} 个点的时间倒退，这些路段不计入用时",
        "Time goes backwards at {count} points; those steps are not counted",
    ),
    "note.time_backwards.one": (
        "有 {count} 个点的时间倒退，这些路段不计入用时",
        "Time goes backwards at {count} point; that step is not counted",
    ),
    "note.elevation_zero": ("文件中的海拔全为 0，已视为缺失", "All elevations in the file are 0; ignored as missing"),
    "note.dem_taken": ("海拔取自高程模型", "Elevation taken from the DEM"),
    "note.dem_filled_some": ("缺失的海拔已用高程模型补全", "Missing elevations filled from the DEM"),
    "note.unknown_namespace": ("文件使用了未知的 GPX 命名空间", "The file uses an unknown GPX namespace"),
    "note.no_namespace": ("文件没有声明 GPX 命名空间", "The file declares no GPX namespace"),
    "note.waypoints_only": ("文件里只有航点，没有轨迹或路线", "The file has only waypoints, no track or route"),
    "note.no_points": ("文件里没有轨迹点或路线点", "The file has no track or route points"),
    "note.gcj_converted": ("已从火星坐标（GCJ-02）转换为 WGS-84", "Converted from GCJ-02 to WGS-84"),
    "note.bd09_converted": ("已从百度坐标（BD-09）转换为 WGS-84", "Converted from BD-09 to WGS-84"),
    "note.kml_lines_skipped": (
        "已录制轨迹之外另有 {count} 条画出的线路，未使用",
        "{count} plain lines beside the recorded track were not used",
    ),
    "note.kml_lines_skipped.one": (
        "已录制轨迹之外另有 {count} 条画出的线路，未使用",
        "{count} plain line beside the recorded track was not used",
    ),
    "note.other": ("数据中有一处需要注意的地方", "A note about the data"),
    "common.choose": ("请选择", "Choose"),
    "upload.button": ("选择文件", "Choose file"),
    "error.generic": ("出现问题，请稍后再试。", "Something went wrong; please try again later."),
    "error.store": ("无法读取路线数据库：{detail}", "Cannot read the route database: {detail}"),
}
