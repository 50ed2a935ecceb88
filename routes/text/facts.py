"""Strings for route facts as visitors see them (routes/views/routefacts.py): getting there, season, the last check,
the road's surface and warnings by km, on the light page, the profile, the Streamlit page and the downloads."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # Surfaces (routes.core.facts.SURFACES).
    "stretch_surface.asphalt": ("沥青路", "Asphalt"),
    "stretch_surface.concrete": ("水泥路", "Concrete"),
    "stretch_surface.paving": ("铺砖路", "Paving stones"),
    "stretch_surface.gravel": ("碎石路", "Gravel"),
    "stretch_surface.dirt": ("土路", "Dirt"),
    "stretch_surface.cobbles": ("石板路", "Cobbles"),
    "stretch_surface.boardwalk": ("木栈道", "Boardwalk"),
    "stretch_surface.steps": ("台阶", "Steps"),
    # Warning kinds (routes.core.facts.WARNING_KINDS).
    "warning_kind.steep_descent": ("陡下坡", "Steep descent"),
    "warning_kind.steep_climb": ("陡上坡", "Steep climb"),
    "warning_kind.busy_crossing": ("繁忙路口", "Busy crossing"),
    "warning_kind.traffic": ("交通繁忙", "Traffic"),
    "warning_kind.narrow": ("路窄", "Narrow"),
    "warning_kind.steps": ("有台阶", "Steps"),
    "warning_kind.slippery": ("路滑", "Slippery"),
    "warning_kind.closure": ("封闭", "Closure"),
    "warning_kind.other": ("注意", "Caution"),
    # A warning's name on a GPS device (TCX course point): at most 10 characters.
    "warning_short.steep_descent": ("陡下坡", "Steep down"),
    "warning_short.steep_climb": ("陡上坡", "Steep up"),
    "warning_short.busy_crossing": ("繁忙路口", "Crossing"),
    "warning_short.traffic": ("交通繁忙", "Traffic"),
    "warning_short.narrow": ("路窄", "Narrow"),
    "warning_short.steps": ("有台阶", "Steps"),
    "warning_short.slippery": ("路滑", "Slippery"),
    "warning_short.closure": ("封闭", "Closed"),
    "warning_short.other": ("注意", "Caution"),
    # The light page's sections and the Streamlit page.
    "facts.getting_there": ("交通与停车", "Getting there"),
    "facts.road": ("路面与提醒", "Surface and warnings"),
    "facts.season": ("季节提示", "Season"),
    "facts.checked": ("核实于 {date}", "Last checked {date}"),
    "facts.col_km": ("公里", "km"),
    "facts.col_lap": ("圈", "Lap"),
    "facts.book_note": ("各路线编辑录入的路面与提醒，按比赛里程排列。", "The surface and warnings the editors keep for each route, by race km."),
    "facts.col_surface": ("路面", "Surface"),
    "facts.col_warning": ("提醒", "Warning"),
    "facts.km_range": ("{a}–{b} 公里", "km {a}–{b}"),
    "facts.show_on_map": ("在地图上显示", "Show on the map"),
    "facts.warnings_heading": ("需要留意", "Watch out"),
    "facts.only_zh": ("（暂无英文版，以下为中文原文）", "(Not yet translated; the editors' Chinese text follows.)"),
    "facts.only_en": ("（暂无中文版，以下为英文原文）", "(Only in English so far.)"),
    "facts.surface_legend": ("路面图例", "Surface key"),
    "facts.warning_at": ("{kind}（{a}–{b} 公里）：{text}", "{kind} (km {a}–{b}): {text}"),
}
