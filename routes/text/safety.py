"""Strings of the safety nets: unavailable routes, unexpected errors, limits on work and content, imports."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "unavailable.card": ("暂时无法显示", "Unavailable"),
    "unavailable.no_distance": (
        "轨迹没有长度（所有点都在同一位置或没有有效坐标，短于 {min_m} 米）。请上传一个有效的轨迹文件。",
        "The track has no length (every point in one place or no valid position; shorter than {min_m} m). "
        "Upload a valid track file.",
    ),
    "unavailable.unreadable": (
        "存储的轨迹文件无法读取：{detail}",
        "The stored track file cannot be read: {detail}",
    ),
    "unavailable.failed": (
        "分析这条路线时出错（错误编号 {error_id}，详情见服务器日志）。",
        "Analysing this route failed (error id {error_id}; details in the server log).",
    ),
    "unavailable.editor_note": ("编辑可见的原因：{why}", "Reason (shown to editors): {why}"),
    "error.script": (
        "抱歉，页面出错了。请刷新页面重试；如果问题仍然存在，请把错误编号 {error_id} 告诉管理员。",
        "Sorry, something went wrong on this page. Reload to try again; if it keeps happening, tell the "
        "administrator the error id {error_id}.",
    ),
    "error.part": (
        "这一部分暂时无法显示（错误编号 {error_id}）。页面的其他内容不受影响。",
        "This part cannot be shown at the moment (error id {error_id}). The rest of the page is not affected.",
    ),
    "route.no_elevation": (
        "这条路线的轨迹没有海拔数据：只显示距离相关的数据。",
        "This route's track has no elevation: only distance figures are shown.",
    ),
    "quality.time_jumps": (
        "时间不可信：{count} 处时间跳变或超出合理年代（最大跳变约 {largest_h} 小时），可能混合了两次记录或时钟出错。"
        "不显示总用时。",
        "Times cannot be trusted: {count} implausible jumps or dates (the largest about {largest_h} h), perhaps two "
        "recordings mixed or a broken clock. No duration is shown.",
    ),
    "quality.far_points_dropped": (
        "已去掉 {count} 个与轨迹其余部分相距过远的点（坏的定位或混入的其他记录）。原文件仍原样保存。",
        "{count} points lying impossibly far from the rest of the track were dropped (bad fixes or another recording "
        "mixed in). The original file is kept as it was.",
    ),
    "quality.absurd_elevations_ignored": (
        "已忽略 {count} 个超出 −500 至 9000 米的海拔值，这些点按无海拔处理。",
        "{count} elevations outside −500 to 9 000 m were ignored; those points count as having no elevation.",
    ),
    "quality.absurd_times_ignored": (
        "已忽略 {count} 个日期不可信的时间（早于 1990 年或晚于 2100 年）。不显示总用时。",
        "{count} times with implausible dates (before 1990 or after 2100) were ignored. No duration is shown.",
    ),
    "pois.page": ("第 {page} 页，共 {pages} 页（每页 {per_page} 个）", "Page {page} of {pages} ({per_page} per page)"),
    "pois.page_label": ("页码", "Page"),
    "pois.map_capped": (
        "地图上显示前 {shown} 个景点（共 {total} 个符合条件）。请用类别或搜索缩小范围。",
        "The map shows the first {shown} of {total} matching places. Narrow them with a category or a search.",
    ),
}
