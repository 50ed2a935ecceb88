"""Strings of the editor's upload checks: the place check (a route outside the guide's region), the findings marked
on the preview map and profile, and the POI readers' messages."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # place check (routes.core.region, routes.store.publishing)
    "ed.place.far": (
        "此路线不在上虞两湖一带（距中心 {distance_km} 公里，本指南的范围是 {radius_km} 公里以内）。"
        "请核对是否选错了文件；发布前需要您确认。",
        "This route is not in the Lianghu area of Shangyu ({distance_km} km from the centre; the guide covers "
        "{radius_km} km around it). Check that this is the right file; publishing it needs your confirmation.",
    ),
    "ed.place.confirm": (
        "此路线不在上虞两湖一带（距中心 {distance_km} 公里），仍要发布",
        "This route is not in the Lianghu area of Shangyu ({distance_km} km from the centre); publish it anyway",
    ),
    "ed.place.confirm_revision": (
        "新轨迹不在上虞两湖一带（距中心 {distance_km} 公里），仍要替换已发布的路线",
        "The new track is not in the Lianghu area of Shangyu ({distance_km} km from the centre); replace the "
        "published route anyway",
    ),
    # the findings marked on the upload's preview map and profile (routes.analysis.quality.MARK_KINDS)
    "mark.legend": ("问题位置", "Findings"),
    "mark.elevation_spike": ("海拔尖峰", "Elevation spike"),
    "mark.position_spike": ("定位跳点", "GPS jump"),
    "mark.speed_spike": ("速度异常", "Too fast"),
    "mark.gap": ("分段断开处", "Gap between segments"),
    "mark.at": ("{what}：第 {km} 公里", "{what} at km {km}"),
    "mark.legend_item": ("{what}（共 {count} 处）", "{what} ({count})"),
    "mark.legend_item_capped": ("{what}（共 {count} 处，标出前 {shown} 处）", "{what} ({count}; the first {shown} shown)"),
    "ed.value.confirm_far": (
        "已确认发布不在本区域的路线（距中心 {distance_km} 公里）",
        "confirmed publishing a route outside the region ({distance_km} km from the centre)",
    ),
}
