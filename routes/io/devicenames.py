"""Short names for bike computers: unique course-point codes ("KOM1·L2") plus the name as far as the device allows."""

from __future__ import annotations

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
    """ "<code> <name>" cut to ``limit`` (as ``measure`` counts), every result different from the others.

    ``names`` are the points' own names without any lap (the code carries it). The code always stays whole, so two
    points never read alike even when their names are cut to nothing.
    """
    out: list[str] = []
    for code, name in zip(point_codes(points, laps=laps), names, strict=True):
        text = fit_text(f"{code} {name}".strip(), limit, measure)
        if not text.startswith(code):  # a limit smaller than the code: keep as much of the code as fits
            text = fit_text(code, limit, measure)
        out.append(text)
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
