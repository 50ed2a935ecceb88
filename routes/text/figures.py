"""UI strings of trustworthy figures (what the analysis removed, the spike fix) and of places that are areas."""

from __future__ import annotations

#: Keys ending in ".one" are the English singular of the key without it (Chinese has no plural).
STRINGS: dict[str, tuple[str, str]] = {
    # what the analysis ignored (route page "data notes")
    "analysis.note.all_zero": (
        "文件中的海拔全部为 0，已视为缺失。",
        "All elevations in the file are 0; ignored as missing.",
    ),
    "analysis.note.dem": ("海拔取自地形数据。", "Elevation taken from the terrain model."),
    "analysis.note.dem_filled": ("缺失的海拔已用地形数据补全。", "Missing elevations filled from the terrain model."),
    "analysis.note.spikes": (
        "已去除 {count} 个海拔尖峰（单点或两点的异常跳变），不计入爬升和坡度。",
        "{count} elevation spikes (one or two points far off) removed from climbing and gradients.",
    ),
    "analysis.note.spikes.one": (
        "已去除 {count} 个海拔尖峰（单点或两点的异常跳变），不计入爬升和坡度。",
        "{count} elevation spike (one or two points far off) removed from climbing and gradients.",
    ),
    "analysis.note.jumps": (
        "已去除 {count} 处几乎原地发生的海拔跳变（如起步时 GPS 海拔尚未稳定），不计入爬升和坡度。",
        "{count} elevation jumps at (nearly) zero distance removed (e.g. a GPS height settling at the start); they "
        "count neither as climbing nor as gradient.",
    ),
    "analysis.note.jumps.one": (
        "已去除 {count} 处几乎原地发生的海拔跳变（如起步时 GPS 海拔尚未稳定），不计入爬升和坡度。",
        "{count} elevation jump at (nearly) zero distance removed (e.g. a GPS height settling at the start); it counts "
        "neither as climbing nor as gradient.",
    ),
    "analysis.note.steps": (
        "已去除 {count} 处分段衔接或记录中断处的海拔落差，坡度不跨越这些位置计算。",
        "{count} height steps at segment joins or recording gaps removed; no gradient is taken across them.",
    ),
    "analysis.note.steps.one": (
        "已去除 {count} 处分段衔接或记录中断处的海拔落差，坡度不跨越这些位置计算。",
        "{count} height step at a segment join or recording gap removed; no gradient is taken across it.",
    ),
    "analysis.note.time_backwards": (
        "有 {count} 处时间倒退，这些步段不计入用时。",
        "Time goes backwards at {count} points; those steps are not counted.",
    ),
    "analysis.note.time_backwards.one": (
        "有 {count} 处时间倒退，这些步段不计入用时。",
        "Time goes backwards at {count} point; that step is not counted.",
    ),
    # upload quality report: jumps and the spike fix
    "quality.elevation_jumps": (
        "海拔有 {count} 处几乎原地的跳变或分段处的落差（共 {total_m} 米）：分析时会去除，不算作坡度。",
        "{count} elevation jumps at (nearly) zero distance or steps at segment joins ({total_m} m in all): the "
        "analysis removes them; they are not gradients.",
    ),
    "quality.elevation_jumps.one": (
        "海拔有 {count} 处几乎原地的跳变或分段处的落差（共 {total_m} 米）：分析时会去除，不算作坡度。",
        "{count} elevation jump at (nearly) zero distance or step at a segment join ({total_m} m): the analysis removes "
        "it; it is not a gradient.",
    ),
    "ed.upload.spikes_fix": ("去除海拔尖峰", "Remove elevation spikes"),
    "ed.upload.spikes_undo": ("恢复原始海拔", "Keep the original elevations"),
    "ed.upload.spikes_explain": (
        "把异常海拔点（尖峰）的海拔改为按前后点插值的数值；原始上传文件会一并保存在版本记录中。跳变和分段落差留在文件里，分析时自动抹平。",
        "Replaces the elevation of points that spike away by one interpolated from their neighbours; the original "
        "upload is kept with the revision. Jumps and steps at joins stay in the file; the analysis levels them.",
    ),
    "ed.upload.spikes_done": (
        "已去除海拔尖峰（跳变和分段落差由分析自动抹平）。",
        "Elevation spikes removed (jumps and steps at joins are levelled by the analysis).",
    ),
    "quality.elevation_spikes_removable": (
        "有 {count} 个海拔尖峰（单点或两点明显偏离前后点）：分析时会忽略，也可以一键从文件中去除。",
        "{count} elevation spikes (one or two points far off their neighbours): the analysis ignores them; one "
        "click removes them from the file.",
    ),
    "quality.elevation_spikes_removable.one": (
        "有 {count} 个海拔尖峰（单点或两点明显偏离前后点）：分析时会忽略，也可以一键从文件中去除。",
        "{count} elevation spike (one or two points far off their neighbours): the analysis ignores it; one click "
        "removes it from the file.",
    ),
    "ed.derivation.spikes": ("已去除海拔尖峰", "elevation spikes removed"),
    # places that are areas
    "area.relation.inside.lake": ("横穿湖面", "across the lake"),
    "area.relation.along_edge.lake": ("环湖", "around the lake"),
    "area.relation.inside.village": ("穿过村庄", "through the village"),
    "area.relation.along_edge.village": ("沿村边", "along the village edge"),
    "area.relation.inside.tea_garden": ("穿过茶园", "through the tea gardens"),
    "area.relation.along_edge.tea_garden": ("沿茶园边", "along the tea gardens"),
    "area.relation.generic.inside": ("穿过", "passes through"),
    "area.relation.generic.along_edge": ("沿边缘", "runs along the edge"),
    "area.relation.generic.near": ("附近经过", "passes near"),
    "area.along_for": ("{relation}（约 {length}）", "{relation} (about {length})"),
    "col.relation": ("经过方式", "How"),
    "pois.extent": ("范围", "Extent"),
    "pois.extent.radius": ("半径约 {radius}", "radius about {radius}"),
    "pois.extent.area": ("面积约 {area} 平方公里", "about {area} km²"),
    "ed.pois.radius": ("范围半径（米，0 表示一个点）", "Extent radius (m, 0 for a point)"),
    "ed.pois.radius_help": (
        "景点是一片区域（湖、村庄、茶园）时填写半径；导入 GeoJSON 多边形可以设置精确范围。",
        "For a place that is an area (a lake, a village, tea gardens) give a radius; import a GeoJSON polygon for an "
        "exact outline.",
    ),
    "ed.pois.has_area": (
        "这个景点有多边形范围（{points} 个顶点，导入或在地图上画的）；填写半径会替换它。",
        "This place has a polygon outline ({points} vertices, imported or drawn on the map); a radius replaces it.",
    ),
}
