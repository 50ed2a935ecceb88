"""Short names for bike computers: unique course-point codes ("KOM1·L2") plus the place's name as far as the device
allows, shortened by meaning: the place is kept whole, or shortened by whole words / character groups, or left out;
never cut inside a word. The limits and where they come from are in docs/devices.md."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

#: Code of each marker kind on a device screen. Codes are the same in every language (like the category numbers on a
#: road sign) and short, so the place's own name still fits after them within TCX's 10 characters.
KIND_CODES = {
    "neutral": "NEU",
    "start": "START",
    "finish": "FINISH",
    "lap": "LAP",
    "feed": "FEED",
    "aid": "AID",
    "water": "WAT",
    "kom": "KOM",
    "sprint": "SPR",
    "checkpoint": "CP",
    "medical": "MED",
    "hazard": "HAZ",
    "marshal": "MAR",
}
#: Kinds that happen once in a race and so need neither an ordinal nor a lap in their code.
ONCE_KINDS = frozenset({"neutral", "start", "finish"})
#: Between the code's parts ("KOM1·L2"); the middle dot reads as a separator on every device font seen.
CODE_SEP = "·"

Measure = Callable[[str], int]


def chars(text: str) -> int:
    """Length in characters (TCX limits names by characters)."""
    return len(text)


def utf8_bytes(text: str) -> int:
    """Length in bytes of UTF-8 (FIT stores strings as UTF-8 in fields of a fixed byte size)."""
    return len(text.encode("utf-8"))


def fit_text(text: str, limit: int, measure: Measure = chars) -> str:
    """The longest start of ``text`` that measures at most ``limit``: whole characters only (never half of a
    multibyte one), and for text with spaces whole words where a word boundary keeps at least half of the room."""
    text = " ".join(text.split())
    if measure(text) <= limit:
        return text
    cut = ""
    for ch in text:
        if measure(cut + ch) > limit:
            break
        cut += ch
    # Inside a Latin word ("Dongjiang vi|ewpoint") drop the broken word; Chinese has no spaces and cuts anywhere.
    nxt, prev = text[len(cut)], cut[-1:] or " "
    mid_word = nxt.isascii() and nxt.isalnum() and prev.isascii() and prev.isalnum()
    space = cut.rstrip().rfind(" ")
    if mid_word and space > 0 and measure(cut[:space]) * 2 >= limit:
        cut = cut[:space]
    return cut.rstrip(" ·-")


#: Characters that end a group of a Chinese place name: the place-type word at its end (村 village, 路 road,
#: 口 junction, 桥 bridge, 站 station ...). "南穴村路口" is "南穴村" + "路口"; a device name keeps whole groups from
#: the start or none, so it never shows half a word ("南穴村" fits where "南穴村路口" does not; "南穴" never appears).
#: Without a dictionary this is the one safe boundary inside a run of Chinese characters.
CJK_GROUP_END = frozenset("村路街道巷口桥镇乡山岭岗坡湖江河溪塘坝堰站区点门寺庙园场亭岙湾港埠线处")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


#: Fewest Chinese characters of a group: a word of the name is two characters or more ("路口" stays one group,
#: never "路" + "口"; "五华山顶" stays whole rather than leave "顶" alone).
MIN_CJK_GROUP = 2


def _cjk_run(text: str, *, leading: bool = False) -> int:
    """Chinese characters at the end of ``text`` (or at its start with ``leading``)."""
    seq = text if leading else reversed(text)
    n = 0
    for ch in seq:
        if not is_cjk(ch):
            break
        n += 1
    return n


def place_groups(place: str) -> list[str]:
    """A place name split where a device name may end: between Latin words, at "·", between Latin and Chinese, and
    after a place-type character of a Chinese run (:data:`CJK_GROUP_END`). Joining the groups gives the name back
    (spaces kept on the group they follow)."""
    text = " ".join(place.split())
    groups: list[str] = []
    cur = ""
    for i, ch in enumerate(text):
        cur += ch
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if not nxt:
            break
        boundary = (
            ch in " ·"
            or (is_cjk(ch) and ch in CJK_GROUP_END and _cjk_run(cur) >= MIN_CJK_GROUP
                and _cjk_run(text[i + 1:], leading=True) >= MIN_CJK_GROUP)
            or (is_cjk(ch) != is_cjk(nxt) and nxt not in " ·" and ch not in " ·")
        )
        if boundary:
            groups.append(cur)
            cur = ""
    if cur:
        groups.append(cur)
    return groups


def place_prefixes(place: str) -> list[str]:
    """Shortenings of a place name by meaning, longest first: the whole name, then whole groups from its start."""
    groups = place_groups(place)
    out = []
    for n in range(len(groups), 0, -1):
        text = "".join(groups[:n]).rstrip(" ·-")
        if text and text not in out:
            out.append(text)
    return out


def course_point_name(
    kind: str, number: int | None, lap: int | None, place: str, *, limit: int, measure: Measure = chars
) -> str:
    """The name of one course point on a device: its code (kind, number, lap) and as much of the place as keeps
    whole words, within ``limit`` as ``measure`` counts (characters for TCX, UTF-8 bytes for FIT).

    In order of preference: "KOM1·L2 南穴村路口"; without the separator "KOM1L2 南穴村路口"; the place shortened to
    whole groups ("KOM1·L2 南穴村"); the code alone ("KOM1·L2", then "KOM1L2"). The place goes before any part of
    the code, and no word is ever cut: when even the code is too long, it is cut at a character (never half of a
    multibyte one), which no device limit used here comes near.
    """
    base = KIND_CODES.get(kind, kind[:3].upper())
    head = base if kind in ONCE_KINDS or number is None or kind == "lap" else f"{base}{number}"
    codes = [f"{head}{CODE_SEP}L{lap}", f"{head}L{lap}"] if lap else [head]
    places = place_prefixes(place)
    for shortened in places:
        for code in codes:
            text = f"{code} {shortened}"
            if measure(text) <= limit:
                return text
    for code in codes:
        if measure(code) <= limit:
            return code
    return fit_text(codes[-1], limit, measure)


def point_codes(points: Sequence[Any], *, laps: int) -> list[str]:
    """A code per course point, unique within the race: kind, its ordinal among that kind's points in the same lap,
    and on a circuit the lap ("FEED1", "KOM2·L3"). Start and finish are just "START" and "FINISH"."""
    seen: dict[tuple[str, Any], int] = {}
    codes = []
    for p in points:
        base = KIND_CODES.get(p.kind, p.kind[:3].upper())
        if p.kind in ONCE_KINDS:
            codes.append(base)
            continue
        key = (p.kind, p.lap)
        seen[key] = seen.get(key, 0) + 1
        code = base if p.kind == "lap" else f"{base}{seen[key]}"
        if laps > 1 and p.lap:
            code += f"{CODE_SEP}L{p.lap}"
        codes.append(code)
    return codes


def device_point_names(
    points: Sequence[Any], names: Sequence[str], *, laps: int, limit: int, measure: Measure = chars
) -> list[str]:
    """A device name per course point (:func:`course_point_name`), every result different from the others.

    ``names`` are the points' place names without kind or lap (the code carries those; an empty name gives the code
    alone). Numbers count each kind within its lap, as :func:`point_codes` does, so the codes are unique.
    """
    seen: dict[tuple[str, Any], int] = {}
    out: list[str] = []
    for p, name in zip(points, names, strict=True):
        number = None
        if p.kind not in ONCE_KINDS and p.kind != "lap":
            key = (p.kind, p.lap)
            seen[key] = seen.get(key, 0) + 1
            number = seen[key]
        lap = p.lap if laps > 1 and p.kind not in ONCE_KINDS else None
        out.append(course_point_name(p.kind, number, lap, name, limit=limit, measure=measure))
    return unique_fitted(out, limit, measure)


def unique_fitted(names: Sequence[str], limit: int, measure: Measure = chars) -> list[str]:
    """Each name cut to ``limit``; a name that then reads like an earlier one gets a running number in place of its
    end ("Dongjiang", "Dongjiang2"), so a device list never shows two alike."""
    taken: set[str] = set()
    result = []
    for name in (fit_text(n, limit, measure) for n in names):
        candidate, n = name, 1
        while candidate in taken:
            n += 1
            suffix = str(n)
            candidate = fit_text(name, limit - measure(suffix), measure) + suffix
        taken.add(candidate)
        result.append(candidate)
    return result
