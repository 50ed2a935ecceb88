"""What libxml2 says is wrong with an XML file, in words a person reads: a Chinese phrase and the parser's English.

The XML readers (GPX, TCX, KML) refuse a malformed file with its line and what is wrong. libxml2 says what is wrong in
English ("Opening and ending tag mismatch: trk line 3 and gpx"), which must not reach a Chinese page, so each message
libxml2 commonly gives has a Chinese phrase here and any other gets a general one. The English message of the error
keeps the parser's own words (the command line and the logs read those).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The parser's detail is cut to this many characters: one line of a message, never a page of echoed file content.
DETAIL_MAX_CHARS = 160

#: (pattern in libxml2's message, Chinese phrase), first match wins. The phrases name no element or attribute of the
#: file: those are Latin words the Chinese message must not carry (the English one keeps them).
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), zh)
    for p, zh in (
        (r"Document is empty|no element found", "文件里没有 XML 元素"),
        (r"Start tag expected", "文件开头不是 XML 标记"),
        (r"Opening and ending tag mismatch", "开始标记与结束标记不配对"),
        (r"Premature end of data|EndTag: '</' not found", "文件在元素结束之前中断，可能不完整"),
        (r"Extra content at the end of the document", "根元素结束之后还有多余的内容"),
        (r"Couldn't find end of Start Tag|expected '>'", "标记没有正确结束"),
        (r"AttValue: \" or ' expected", "属性值缺少引号"),
        (r"Specification mandates value for attribute", "属性缺少值"),
        (r"Attribute \S+ redefined", "同一个属性出现了两次"),
        (r"attributes construct error", "属性的写法有误"),
        (r"Unescaped '<' not allowed in attributes values", "属性值里有未转义的小于号"),
        (r"EntityRef|Entity '[^']*' not defined", "“&”之后不是有效的字符引用"),
        (r"Invalid bytes in character encoding|not proper UTF-8|Input is not proper", "含有不符合字符编码的字节"),
        (r"invalid Char value|out of allowed range|Char 0x", "含有 XML 不允许的控制字符"),
        (r"Unsupported encoding", "声明的字符编码不受支持"),
        (r"StartTag: invalid element name|invalid element name", "元素名称无效"),
        (r"Comment not terminated|Comment must not contain", "注释没有正确结束"),
        (r"CData section not finished", "数据段没有正确结束"),
        (r"XML declaration allowed only at the start", "XML 声明不在文件开头"),
        (r"ParsePI|PI \S+ never end|processing instruction", "处理指令的写法有误"),
        (r"Namespace prefix \S+ (?:on|for) \S+ is not defined", "使用了未声明的命名空间前缀"),
        (r"xmlns|[Nn]amespace", "命名空间声明有误"),
        (r"Huge input lookup|Excessive depth|[Ee]xcessive|too large|Maximum", "文档的结构过深或过大"),
    )
)
#: The phrase for anything else libxml2 may say.
GENERAL_PHRASE_ZH = "格式有误"

_UNBOUND_PREFIX = re.compile(r"Namespace prefix (\S+) (?:on|for) \S+ is not defined")
_POSITION = re.compile(r",? line \d+, column \d+$")


@dataclass(frozen=True)
class XmlProblem:
    """One parser error as an error key and its message parameters.

    ``kind`` is "not_xml" (nothing XML at the top of the file), "undeclared_prefix" or "xml_error"; the readers'
    error classes have templates under these keys taking :meth:`params`.
    """

    kind: str
    line: int
    detail: str
    detail_zh: str
    prefix: str = ""

    def params(self) -> dict[str, object]:
        if self.kind == "undeclared_prefix":
            return {"prefix": self.prefix, "line": self.line}
        if self.kind == "not_xml":
            return {"detail": self.detail, "detail_zh": self.detail_zh}
        return {"line": self.line, "detail": self.detail, "detail_zh": self.detail_zh}


def phrase_zh(message: str) -> str:
    """The Chinese phrase for one of libxml2's messages."""
    return next((zh for pattern, zh in _PHRASES if pattern.search(message)), GENERAL_PHRASE_ZH)


def xml_problem(message: str, line: int | None) -> XmlProblem:
    """What a parser error means, from libxml2's message and the line it gives."""
    first = (message or "").strip().split("\n")[0]
    line = int(line or 0)
    detail = _POSITION.sub("", first)[:DETAIL_MAX_CHARS]
    unbound = _UNBOUND_PREFIX.search(first)
    if unbound:
        return XmlProblem("undeclared_prefix", line, detail, phrase_zh(first), prefix=unbound.group(1))
    if line <= 1 and re.search(r"Document is empty|Start tag expected|no element found", first):
        return XmlProblem("not_xml", line, detail.split(",")[0], phrase_zh(first))
    return XmlProblem("xml_error", line, detail, phrase_zh(first))


#: Root elements of other files people upload by mistake, with what they are in Chinese (the Chinese message names no
#: element: the English one names the root as found).
_KNOWN_ROOTS_ZH = {
    "gpx": "GPX 文件",
    "kml": "KML 文件",
    "TrainingCenterDatabase": "TCX 文件",
    "html": "网页",
    "svg": "矢量图",
    "osm": "开放街道地图数据",
}


def root_hint_zh(root: str) -> str:
    """"（看起来是 KML 文件）" for a root element the guide knows, else ""."""
    what = _KNOWN_ROOTS_ZH.get(root) or _KNOWN_ROOTS_ZH.get(root.lower())
    return f"（看起来是{what}）" if what else ""
