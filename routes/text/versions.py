"""Strings of versions: one version number for a route or a POI, restores in full, and comparing two versions."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "ver.version": ("第 {number} 版", "version {number}"),
    "ver.with_track": ("{version}（轨迹第 {track} 份）", "{version} (track file {track})"),
    "ver.track": ("轨迹第 {number} 份", "track file {number}"),
    "ver.col.version": ("版本", "Version"),
    "ver.col.track": ("轨迹文件", "Track file"),
    "ver.col.field": ("项目", "Field"),
    "ver.col.before": ("修改前", "Before"),
    "ver.col.after": ("修改后", "After"),
    "ver.col.figure": ("数据", "Figure"),
    "ver.col.delta": ("差值", "Difference"),
    "ver.changed": ("有改动", "changed"),
    "ver.same": ("无变化", "no change"),
    "ver.fig.distance": ("距离", "Distance"),
    "ver.fig.ascent": ("累计爬升", "Climbing"),
    "ver.fig.descent": ("累计下降", "Descent"),
    "ver.fig.max_grade": ("最陡上坡（100 米平均）", "Steepest 100 m uphill"),
    "ver.fig.min_grade": ("最陡下坡（100 米平均）", "Steepest 100 m downhill"),
    "ver.fig.max_ele": ("最高海拔", "Highest point"),
    # messages after a save: the version the record is now, the one the status line shows
    "ver.saved": ("已保存为第 {version} 版。", "Saved as version {version}."),
    "ver.track_saved": ("已保存为第 {version} 版（轨迹第 {track} 份）。", "Saved as version {version} (track file {track})."),
    "ver.track_restored": (
        "已恢复轨迹第 {from_track} 份：现为第 {version} 版（轨迹第 {track} 份），旧版本都仍保留。",
        "Restored track file {from_track}: now version {version} (track file {track}); the old ones are kept.",
    ),
    "ver.texts_restored": (
        "已把文字恢复到第 {from_version} 版修改之前：现为第 {version} 版。",
        "The texts are back as they were before version {from_version}: now version {version}.",
    ),
    "ver.published": (
        "已发布为第 {version} 版。骑行者现在可以在路线目录中看到它。",
        "Published as version {version}: cyclists now see it in the catalogue.",
    ),
    "ver.unpublished": (
        "已撤回为草稿（第 {version} 版），骑行者不再看到它。",
        "Withdrawn to draft (version {version}): cyclists no longer see it.",
    ),
    # the history tab
    "ver.restore_track_pick": ("要恢复的轨迹", "Track to restore"),
    "ver.text_change": ("{version} · {when} · 修改人：{who}", "{version} · {when} · by {who}"),
    "ver.text_change_caption": ("这次修改改了什么（完整内容）", "What this change did (in full)"),
    "ver.texts_restore_button": ("恢复这次修改之前的文字", "Put back the texts from before this change"),
    # comparing two versions of a route
    "ver.compare.heading": ("比较两个版本", "Compare two versions"),
    "ver.compare.a": ("较早的版本", "Earlier version"),
    "ver.compare.b": ("较新的版本", "Later version"),
    "ver.compare.texts": ("名称与介绍", "Names and texts"),
    "ver.compare.figures": ("轨迹数据", "Track figures"),
    "ver.compare.map": ("两个版本的轨迹", "Both versions' lines"),
    "ver.compare.same_track": (
        "这两个版本用的是同一份轨迹（轨迹第 {track} 份），线路和数据完全相同。",
        "Both versions use the same track (track file {track}): the line and its figures are the same.",
    ),
    "ver.compare.need_two": ("这条路线只有一个版本，还没有可比较的。", "This route has one version only: nothing to compare yet."),
    "ver.compare.same_version": ("请选择两个不同的版本。", "Pick two different versions."),
    "ver.compare.no_track": ("第 {version} 版的轨迹无法读取，只比较文字。", "The track of version {version} cannot be read: texts only."),
    # POIs
    "ver.poi.status": ("第 {version} 版 · 最后修改：{by}，{at}", "Version {version} · last changed by {by}, {at}"),
    "ver.poi.restore": ("恢复到第 {number} 版", "Restore version {number}"),
    "ver.poi.restored": (
        "已恢复第 {number} 版的内容：现为第 {version} 版。",
        "Restored the contents of version {number}: now version {version}.",
    ),
}
