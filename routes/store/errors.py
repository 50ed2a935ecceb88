"""Errors the content store raises for things a person did: bad fields, stale edits, missing records, bad files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from routes.core.errors import GuideError


class StoreError(GuideError):
    """Something asked of the store that cannot be done (missing record, unusable backup, bad import file)."""

    templates = {
        "route_not_found": ("找不到路线“{slug}”", "route '{slug}' not found"),
        "revision_not_found": (
            "路线“{slug}”没有编号为 {revision} 的版本",
            "route '{slug}' has no revision {revision}",
        ),
        "poi_not_found": ("找不到兴趣点 {poi_id}", "point of interest {poi_id} not found"),
        "poi_revision_not_found": (
            "兴趣点 {poi_id} 没有第 {number} 版",
            "point of interest {poi_id} has no revision {number}",
        ),
        "photo_not_found": ("找不到照片 {photo_id}", "photo {photo_id} not found"),
        "user_not_found": ("找不到用户“{name}”", "user '{name}' not found"),
        "last_admin": (
            "不能停用“{name}”或取消其管理员角色：它是最后一个启用的管理员账号，未做任何更改",
            "'{name}' cannot be disabled or lose the administrator role: it is the last active administrator; "
            "nothing was changed",
        ),
        "plan_not_found": ("找不到赛事方案“{slug}”", "race plan '{slug}' not found"),
        "database": ("无法打开数据库：{detail}", "cannot open the database: {detail}"),
        "bad_url": ("数据库地址无效：{detail}", "invalid database URL: {detail}"),
        "backup_invalid": ("备份文件无法使用：{detail}", "unusable backup file: {detail}"),
        "backup_entry_too_big": (
            "备份文件无法使用：其中的 {entry} 解压后超过 {limit_mb:.0f} MB 的上限，未做任何更改",
            "unusable backup file: {entry} unpacks to more than the limit of {limit_mb:.0f} MB; nothing was changed",
        ),
        "backup_too_big": (
            "备份文件无法使用：解压后总共超过 {limit_gb:.0f} GB 的上限，未做任何更改",
            "unusable backup file: it unpacks to more than the limit of {limit_gb:.0f} GB; nothing was changed",
        ),
        "backup_schema": (
            "备份文件的数据库结构版本（{found}）与本程序（{expected}）不一致",
            "the backup's schema version ({found}) does not match this program's ({expected})",
        ),
        # {detail} is the reader's own English; {detail_zh} says the same in Chinese (routes.store.importers).
        "import_invalid": ("导入文件无法读取：{detail_zh}", "cannot read the import file: {detail}"),
        "import_no_places": (
            "导入文件里没有带位置的地点（点或范围）",
            "the import file has no placemarks with a point or an outline",
        ),
        "import_rows": (
            "导入文件有 {count} 条记录有误，未做任何更改",
            "{count} records in the import file are invalid; nothing was changed",
        ),
        "import_too_many": (
            "导入文件有 {count} 条记录，超过每次导入 {limit} 条的上限。请拆分文件后分批导入。",
            "the import file has {count} records, more than the limit of {limit} per import; split the file",
        ),
        "pois_total": (
            "景点总数将超过上限：现有 {live} 个，新增 {adding} 个，上限 {limit} 个",
            "too many places: {live} now and {adding} to add, the limit is {limit}",
        ),
        "import_done": (
            "这次导入已经执行过了（重复提交不会再次导入）。请重新选择文件查看最新预览。",
            "this import has already been applied (a repeated submit imports nothing). Choose the file again "
            "for a fresh preview.",
        ),
        "not_deleted": ("兴趣点 {poi_id} 没有被删除", "point of interest {poi_id} is not deleted"),
    }


class ConflictError(StoreError):
    """Someone else saved the same record after it was loaded; the caller's edit was not applied.

    ``current_version`` is the version now in the database, ``attempted`` the fields the caller tried to save (they
    are also kept in the audit log, so neither version is lost).
    """

    templates = {
        "stale": (
            "保存失败：{target} 在您打开之后已被 {by} 修改（现为第 {current} 版，您编辑的是第 {expected} 版）。"
            "请重新载入后再改；您的修改已保留在历史记录中。",
            "not saved: {target} was changed by {by} after you opened it (now version {current}, you edited "
            "version {expected}). Reload and edit again; your changes are kept in the history.",
        ),
        "exists": (
            "保存失败：{target} 已由他人创建，请重新载入",
            "not saved: {target} was created by someone else meanwhile; reload it",
        ),
    }

    def __init__(self, key: str, *, current_version: int | None = None,
                 attempted: Mapping[str, Any] | None = None, **params: Any) -> None:
        super().__init__(key, **params)
        self.current_version = current_version
        self.attempted = dict(attempted or {})


class ValidationError(StoreError):
    """A field value the store refuses. ``field`` names the field so a form can show the message next to it.

    When several fields are wrong at once, the first is raised and ``errors`` maps every bad field to its own error.
    """

    templates = {
        "required": ("此项必填", "this field is required"),
        "too_long": ("太长：最多 {limit} 个字符", "too long: at most {limit} characters"),
        "bad_chars": ("含有不允许的控制字符", "contains control characters that are not allowed"),
        "choice": ("无效的取值“{value}”，可选：{choices}", "invalid value '{value}'; choose one of: {choices}"),
        "slug": (
            "网址名只能用小写字母、数字和连字符，长度 2–60（例如 tianxiang-east）",
            "the slug may only use lower-case letters, digits and hyphens, 2–60 long (e.g. tianxiang-east)",
        ),
        "slug_taken": ("网址名“{value}”已被使用", "the slug '{value}' is already taken"),
        "number": ("不是有效的数字：“{value}”", "not a valid number: '{value}'"),
        "sort_order": ("排序号应为 0 到 9999 之间的整数", "the sort key must be a whole number from 0 to 9999"),
        "latitude": ("纬度应在 −90 到 90 之间（WGS-84 度）", "latitude must be between −90 and 90 (WGS-84 degrees)"),
        "longitude": (
            "经度应在 −180 到 180 之间（WGS-84 度）",
            "longitude must be between −180 and 180 (WGS-84 degrees)",
        ),
        "null_island": (
            "坐标 (0, 0) 几乎肯定是缺失值，请填写实际位置",
            "the position (0, 0) is almost certainly a missing value; enter the real position",
        ),
        "url": ("链接必须以 http:// 或 https:// 开头", "the link must start with http:// or https://"),
        "radius": ("范围半径应在 0 到 {limit:.0f} 米之间", "the radius must be between 0 and {limit:.0f} m"),
        "area": ("范围不是可用的多边形（{detail}）", "the outline is not a usable polygon ({detail})"),
        "area_vertices": (
            "范围轮廓有 {count} 个顶点，超过每个范围 {limit} 个的上限；请先简化轮廓再导入",
            "the outline has {count} vertices, more than the limit of {limit} per area; simplify it before importing",
        ),
        "radius_and_area": ("范围只能是半径或多边形之一", "an extent is either a radius or a polygon, not both"),
        "phone": (
            "电话号码只能包含数字、空格和 + - ( )",
            "a phone number may only contain digits, spaces and + - ( )",
        ),
        "boolean": ("应为是或否", "must be yes or no"),
        "tags": ("标签应为文字列表", "tags must be a list of words"),
        "unknown_field": ("未知字段", "unknown field"),
        "json": ("内容无法保存为 JSON：{detail}", "cannot be stored as JSON: {detail}"),
        "plan_too_big": ("方案太大：{size_kb:.0f} KB，上限 {limit_kb:.0f} KB", "plan too large: {size_kb:.0f} KB, limit {limit_kb:.0f} KB"),
        "role": ("角色应为 organiser、editor 或 admin", "the role must be organiser, editor or admin"),
        "password_short": ("密码至少 {limit} 个字符", "the password needs at least {limit} characters"),
        "password_long": ("密码最多 {limit} 个字符", "the password may have at most {limit} characters"),
        "user_taken": ("用户名“{value}”已存在", "the user name '{value}' already exists"),
        "user_name": (
            "用户名只能用字母、数字、点、下划线和连字符，长度 2–40",
            "a user name may only use letters, digits, dot, underscore and hyphen, 2–40 long",
        ),
        "photo_format": (
            "不是可用的图片：只接受 JPEG、PNG 或 WebP",
            "not a usable image: only JPEG, PNG or WebP are accepted",
        ),
        "photo_too_big": (
            "照片太大：{size_mb:.1f} MB，上限 {limit_mb:.0f} MB",
            "photo too large: {size_mb:.1f} MB, the limit is {limit_mb:.0f} MB",
        ),
        "photo_pixels": (
            "照片像素太多：{mpx:.0f} 百万像素，上限 {limit_mpx:.0f} 百万像素",
            "photo has too many pixels: {mpx:.0f} megapixels, the limit is {limit_mpx:.0f}",
        ),
        "gpx_empty": ("GPX 文件里没有轨迹点", "the GPX file has no track points"),
        "no_distance": (
            "不能发布：轨迹没有长度（短于 {min_m} 米，或没有有效坐标）",
            "cannot publish: the track has no length (shorter than {min_m} m, or no valid position)",
        ),
        "far_from_region": (
            "不能发布：此路线不在上虞两湖一带（距中心 {distance_km} 公里，本指南的范围是 {radius_km} 公里以内）。"
            "如果确实要发布，请先勾选确认。",
            "cannot publish: this route is not in the Lianghu area of Shangyu ({distance_km} km from the centre; "
            "the guide covers {radius_km} km around it). Tick the confirmation first if it really belongs here.",
        ),
        "source_too_big": (
            "原始文件太大：{size_mb:.1f} MB，上限 {limit_mb:.0f} MB",
            "original file too large: {size_mb:.1f} MB, the limit is {limit_mb:.0f} MB",
        ),
        "source_format": (
            "原始文件不是 {fmt} 格式的轨迹文件",
            "the original file is not a {fmt} track file",
        ),
        "source_required": (
            "标明了原始文件的格式或转换说明，却没有附上原始文件",
            "an original format or derivation was given without the original file",
        ),
    }

    def __init__(self, key: str, *, field: str, **params: Any) -> None:
        self.field = field
        super().__init__(key, **params)
        self.args = (f"{field}: {self.message('en')}",)
        self.errors: dict[str, ValidationError] = {field: self}


def first_of(errors: Mapping[str, ValidationError]) -> ValidationError:
    """The first error, carrying all of them in ``errors`` (for a form that marks every bad field at once)."""
    first = next(iter(errors.values()))
    first.errors = dict(errors)
    return first
