"""Strings of areas drawn on the POI editor's map (routes.views.drawing): the mode switch, what was drawn, and every
word of the drawing toolbar (leaflet-draw's own English texts replaced)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "draw.mode": ("在地图上画范围（多边形或矩形）", "Draw the area on the map (polygon or rectangle)"),
    "draw.mode_help": (
        "用地图右上角的工具画多边形或矩形，或编辑已有范围的顶点；画完后点击“保存修改”（新兴趣点点击“添加兴趣点”）。"
        "画范围时点击地图不会选位置。",
        "Use the tools at the map's top right to draw a polygon or a rectangle, or to edit the vertices of the area; "
        "then press “Save changes” (“Add the point” for a new one). While drawing, a click does not pick a position.",
    ),
    "draw.pending": (
        "地图上画好的范围（{points} 个顶点）尚未保存：点击下面的按钮保存。",
        "The area drawn on the map ({points} vertices) is not saved yet: press the button below.",
    ),
    "draw.pending_removed": (
        "地图上的范围已全部删除，保存后此兴趣点不再有范围。",
        "Every shape was deleted on the map: once saved, this point has no area.",
    ),
    "draw.saved": ("范围已保存（{points} 个顶点），现为第 {version} 版。", "Area saved ({points} vertices): now version {version}."),
    # leaflet-draw's toolbar and hints
    "draw.polygon": ("画多边形范围", "Draw a polygon area"),
    "draw.rectangle": ("画矩形范围", "Draw a rectangle area"),
    "draw.cancel_title": ("取消绘制", "Cancel drawing"),
    "draw.cancel": ("取消", "Cancel"),
    "draw.finish_title": ("完成绘制", "Finish drawing"),
    "draw.finish": ("完成", "Finish"),
    "draw.undo_title": ("删除最后画的一个点", "Delete the last point drawn"),
    "draw.undo": ("撤销一点", "Delete last point"),
    "draw.polygon_start": ("点击地图，开始画范围。", "Click the map to start the area."),
    "draw.polygon_cont": ("点击地图，继续画下一个顶点。", "Click to place the next vertex."),
    "draw.polygon_end": ("点击第一个点，完成范围。", "Click the first point to close the area."),
    "draw.crossing": ("<strong>出错：</strong>范围的边不能交叉！", "<strong>Error:</strong> the edges cannot cross!"),
    "draw.rectangle_start": ("按住鼠标拖动，画出矩形。", "Press and drag to draw the rectangle."),
    "draw.rectangle_end": ("松开鼠标，完成矩形。", "Release the mouse to finish."),
    "draw.save_title": ("确认修改（之后还要点击页面上的保存按钮）", "Keep the changes (then press the page's save button)"),
    "draw.save": ("确认", "Done"),
    "draw.cancel_edit_title": ("放弃修改，恢复原样", "Cancel editing, discard the changes"),
    "draw.clear_all_title": ("删除全部范围", "Delete every shape"),
    "draw.clear_all": ("全部删除", "Clear all"),
    "draw.edit": ("编辑范围顶点", "Edit the area's vertices"),
    "draw.edit_disabled": ("没有可编辑的范围", "No area to edit"),
    "draw.remove": ("删除范围", "Delete shapes"),
    "draw.remove_disabled": ("没有可删除的范围", "No area to delete"),
    "draw.edit_text": ("拖动白色方块移动顶点。", "Drag the white squares to move a vertex."),
    "draw.edit_subtext": ("点击“取消”放弃修改。", "Click Cancel to undo the changes."),
    "draw.remove_text": ("点击要删除的范围。", "Click a shape to delete it."),
}
