"""Errors a user can cause, each with a one-line message in Chinese and in English."""

from __future__ import annotations

from typing import Any, ClassVar


class GuideError(Exception):
    """Base of every error a page may show to a person.

    Subclasses list message templates by key: ``{key: (zh, en)}``. ``str(err)`` is English so logs and the
    command line read naturally; pages call :meth:`message` with the visitor's language.
    """

    templates: ClassVar[dict[str, tuple[str, str]]] = {}

    def __init__(self, key: str, **params: Any) -> None:
        if key not in self.templates:
            raise KeyError(f"{type(self).__name__} has no message '{key}'")
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        zh, en = self.templates[self.key]
        return (zh if lang == "zh" else en).format(**self.params)


class GpxError(GuideError, ValueError):
    """A file that cannot be read as a GPX track, route or waypoint list."""

    templates = {
        "empty": ("不是 GPX 文件：文件是空的", "not a GPX file: the file is empty"),
        "too_big": (
            "文件太大：{size_mb:.1f} MB，上限为 {limit_mb:.0f} MB",
            "file too large: {size_mb:.1f} MB, the limit is {limit_mb:.0f} MB",
        ),
        "too_many_points": (
            "点数太多：超过 {limit} 个点的上限",
            "too many points: more than the limit of {limit} points",
        ),
        "dtd": (
            "已拒绝：GPX 文件不应包含 DOCTYPE 或实体声明（可能是恶意文件）",
            "refused: a GPX file never contains a DOCTYPE or entity declaration (possibly hostile)",
        ),
        "encoding": (
            "已拒绝：文件声明的字符编码“{name}”无法安全检查",
            "refused: the file declares a character encoding ('{name}') that cannot be checked safely",
        ),
        # The parser's words ({detail}) are English: the Chinese messages say what is wrong in Chinese instead
        # ({detail_zh}, routes.io.xmlerrors) and leave out names taken from the file.
        "not_xml": ("不是 GPX 文件：内容不是 XML（{detail_zh}）", "not a GPX file: not XML ({detail})"),
        "undeclared_prefix": (
            "不是 GPX 文件：第 {line} 行使用了未声明的命名空间前缀",
            "not a GPX file: undeclared namespace prefix '{prefix}' at line {line}",
        ),
        "xml_error": (
            "不是 GPX 文件：第 {line} 行 XML 格式错误（{detail_zh}）",
            "not a GPX file: malformed XML at line {line} ({detail})",
        ),
        "wrong_root": (
            "不是 GPX 文件：最外层的元素不是 GPX 的根元素{looks_zh}",
            "not a GPX file: the root element is <{root}>, expected <gpx>",
        ),
        "no_file": ("找不到文件：{path}", "file not found: {path}"),
        "implausible": (
            "已拒绝：{total} 个点中有 {dropped} 个与轨迹其余部分相距过远，不可能是一次骑行，文件大部分不可信",
            "refused: {dropped} of {total} points lie impossibly far from the rest of the track; most of the file is "
            "not a ride",
        ),
        "too_long": (
            "已拒绝：轨迹长 {length_km:,.0f} 公里，超过任何骑行路线的上限（{limit_km:,.0f} 公里）",
            "refused: the track is {length_km:,.0f} km long, more than any credible route ({limit_km:,.0f} km)",
        ),
    }
