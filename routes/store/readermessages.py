"""What the JSON and CSV readers say is wrong with a POI file, in Chinese.

Python's json and csv modules say what is wrong in English ("Expecting ',' delimiter: line 3 column 5"), which must
not reach a Chinese page. Each message they commonly give has a Chinese phrase here, any other a general one; the
position (line and column) is kept, since it is what the editor needs to find the mistake. The English message of
the error keeps the reader's own words (routes.io.xmlerrors does the same for the XML readers).
"""

from __future__ import annotations

import csv
import json
import re

#: (pattern in json's message, Chinese phrase), first match wins.
_JSON_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), zh)
    for p, zh in (
        (r"Expecting value", "此处应有一个值，可能文件为空或多了逗号"),
        (r"Expecting property name", "属性名必须用双引号括起来"),
        (r"Expecting ',' delimiter", "缺少逗号"),
        (r"Expecting ':' delimiter", "属性名后缺少冒号"),
        (r"Unterminated string", "字符串缺少结尾的引号"),
        (r"Extra data", "内容结束之后还有多余的数据"),
        (r"Invalid control character", "字符串里有不允许的控制字符"),
        (r"Invalid \\escape|Invalid \\u", "反斜杠转义写法有误"),
    )
)
#: The phrase for anything else the JSON reader may say.
JSON_GENERAL_ZH = "格式有误"

#: (pattern in csv's message, Chinese phrase), first match wins.
_CSV_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), zh)
    for p, zh in (
        (r"field larger than field limit", "有一个字段超过长度上限"),
        (r"line contains NUL", "含有空字符，可能不是文本文件"),
        (r"new-line character seen in unquoted field", "没有加引号的字段里有换行"),
        (r"unexpected end of data", "文件在字段结束之前中断"),
        (r"expected after", "引号的用法有误"),
    )
)
#: The phrase for anything else the CSV reader may say.
CSV_GENERAL_ZH = "格式有误"

_CSV_LINE = re.compile(r"\bline (\d+)")


def json_problem_zh(exc: json.JSONDecodeError) -> str:
    """"第 3 行第 5 列：缺少逗号" for one of json's errors."""
    phrase = next((zh for pattern, zh in _JSON_PHRASES if pattern.search(exc.msg)), JSON_GENERAL_ZH)
    return f"第 {exc.lineno} 行第 {exc.colno} 列：{phrase}"


def csv_problem_zh(exc: csv.Error) -> str:
    """"第 4 行：没有加引号的字段里有换行" for one of csv's errors (the line when it names one)."""
    text = str(exc)
    phrase = next((zh for pattern, zh in _CSV_PHRASES if pattern.search(text)), CSV_GENERAL_ZH)
    line = _CSV_LINE.search(text)
    return f"第 {line.group(1)} 行：{phrase}" if line else phrase
