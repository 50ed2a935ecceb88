"""Text that cannot spoof or attack: bidi controls removed from names, spreadsheet formulas neutralised in exports."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: Unicode bidi embedding, override and isolate controls (LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI). A right-to-left
#: override in a name makes "\u202eevil\u202c" read as "live" in the title; Chinese and English text never needs
#: them. The weak marks (LRM, RLM, ALM) cannot reorder text and stay.
BIDI_CONTROLS_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets (=HYPERLINK(...),
#: +cmd|..., @SUM(...)); tab and carriage return can push the formula past a naive check.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
#: What neutralises a formula: a leading apostrophe makes a spreadsheet show the cell as text (OWASP's advice).
FORMULA_GUARD = "'"


def strip_bidi(text: str) -> str:
    """``text`` without bidi embedding/override/isolate controls."""
    return BIDI_CONTROLS_RE.sub("", text)


def neutralise_formula(value: Any) -> Any:
    """A string that a spreadsheet would run as a formula, made literal with a leading apostrophe; anything else as
    it is (numbers, including negative coordinates, stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return FORMULA_GUARD + value
    return value


def neutralise_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: neutralise_formula(value) for key, value in row.items()}


def restore_formula_text(value: Any) -> Any:
    """Undo :func:`neutralise_formula` on re-import, so an exported file imports back unchanged."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_GUARD)
        and value[1:2]
        and value[1:].startswith(FORMULA_LEADS)
    ):
        return value[1:]
    return value
