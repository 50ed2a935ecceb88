"""Names of the roads a race uses, as the organiser gives them: what a closure notice calls each closed stretch.

A road name applies from a place of the lap (metres from the lap line) until the next named place, so an organiser
names each road once where the course turns onto it, whatever markers are moved later. Stretches of the closure
notice are named by every road they run along (see routes.race.closures).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Longest road name kept (a village road's full name with its county is about 20 characters; more is a slip).
MAX_ROAD_NAME_CHARS = 60
#: Most named roads per plan (a 40 km lap through villages turns onto a dozen roads at most).
MAX_ROADS = 60


@dataclass(frozen=True)
class RoadName:
    """The road the course follows from ``from_m`` (within the lap) on: its Chinese name and optional English one."""

    from_m: float
    name: str
    name_en: str = ""

    def __post_init__(self) -> None:
        if not math.isfinite(self.from_m) or self.from_m < 0:
            raise ValueError(f"road name position {self.from_m!r} must be 0 or more metres into the lap")
        if not self.name.strip():
            raise ValueError("a road needs a name")
        if len(self.name) > MAX_ROAD_NAME_CHARS or len(self.name_en) > MAX_ROAD_NAME_CHARS:
            raise ValueError(f"road names are at most {MAX_ROAD_NAME_CHARS} characters")

    def title(self, lang: str) -> str:
        """The English name when asked and given; otherwise the Chinese (a proper name given only in Chinese)."""
        return self.name_en if lang == "en" and self.name_en else self.name

    def to_dict(self) -> dict[str, Any]:
        return {"from_m": float(self.from_m), "name": self.name, "name_en": self.name_en}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RoadName:
        return cls(float(data["from_m"]), str(data.get("name") or "").strip(), str(data.get("name_en") or "").strip())


def parse_roads(items: Sequence[dict[str, Any]]) -> tuple[RoadName, ...]:
    """Road names in lap order (raises ValueError for a bad one or too many)."""
    roads = tuple(sorted((RoadName.from_dict(dict(r)) for r in items), key=lambda r: r.from_m))
    if len(roads) > MAX_ROADS:
        raise ValueError(f"at most {MAX_ROADS} road names per plan")
    return roads


def roads_along(roads: Sequence[RoadName], from_lap_m: float, to_lap_m: float) -> tuple[RoadName, ...]:
    """The named roads a stretch of the lap runs along, in riding order: the road in force at its start (the last
    one named at or before it) and every road named inside it. Empty when no road is named before or inside it."""
    ordered = sorted(roads, key=lambda r: r.from_m)
    before = [r for r in ordered if r.from_m <= from_lap_m + ROAD_SAME_PLACE_M]
    inside = [r for r in ordered if from_lap_m + ROAD_SAME_PLACE_M < r.from_m < to_lap_m - ROAD_SAME_PLACE_M]
    out = ([before[-1]] if before else []) + inside
    seen: set[str] = set()
    unique = []
    for r in out:  # a road named twice in a row (a typing repeat) is listed once
        if r.name not in seen:
            seen.add(r.name)
            unique.append(r)
    return tuple(unique)


#: A road named this close to a stretch's end starts the next stretch, not this one (markers are placed to the metre).
ROAD_SAME_PLACE_M = 1.0


class RoadTextError(ValueError):
    """A line of the planner's road-name box that cannot be read; its message is in the organiser's language."""

    def __init__(self, line: int, text: str) -> None:
        super().__init__(f"line {line}: {text}")
        self.line, self.text = line, text

    def message(self, lang: str) -> str:
        from routes.text.i18n import t

        return t("rp.planner.roads_bad", lang, line=self.line, text=self.text)


def parse_roads_text(text: str) -> tuple[RoadName, ...]:
    """The planner's road-name box, a road a line: "km-in-lap name | English name" (English optional), e.g.
    "0 环湖路 | Lakeside Road", "7.5 南穴路". Blank lines are skipped; the first unreadable line raises
    :class:`RoadTextError` (nothing is taken from a box with a mistake in it)."""
    roads = []
    for number, raw in enumerate(str(text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        km_text, _, rest = line.replace("\u3000", " ").partition(" ")
        name, _, name_en = rest.partition("|")
        try:
            km = float(km_text.replace("，", ".").replace(",", "."))
            roads.append(RoadName(km * 1000.0, name.strip(), name_en.strip()))
        except ValueError:
            raise RoadTextError(number, line) from None
    if len(roads) > MAX_ROADS:
        raise RoadTextError(MAX_ROADS + 1, "…")
    return tuple(sorted(roads, key=lambda r: r.from_m))


def format_roads_text(roads: Sequence[RoadName]) -> str:
    """The road names as the planner's box shows them (the inverse of :func:`parse_roads_text`)."""
    return "\n".join(
        f"{r.from_m / 1000:g} {r.name}" + (f" | {r.name_en}" if r.name_en else "") for r in roads
    )
