"""The descent figures shown next to the climbing ones: steepest 100 m downhill and the longest descent.

One place for the wording, so the light page (/r/<slug>), the Streamlit route page and the poster agree.
"""

from __future__ import annotations

import math

from routes.analysis.descents import Descent
from routes.text.i18n import fmt_km, fmt_m, fmt_pct, t

#: A grade of a descent is shown with a real minus sign (U+2212), as a rider's computer shows −9.1 %: the ASCII
#: hyphen reads as a dash next to the "–" of a range.
MINUS = "\u2212"


#: Between a number and its "%": a line break there leaves "%" alone on the next line of a narrow fact card.
NBSP = "\u00a0"


def fmt_down_pct(grade_pct: float | None) -> str:
    """A negative grade as "−9.9 %" (no break before the "%"); "–" when unknown."""
    return fmt_pct(grade_pct).replace("-", MINUS).replace(" %", NBSP + "%")


def descent_text(d: Descent | None, lang: str) -> str:
    """"2.2 km, 89 m down at −4.1 % (km 10.3–12.4)" in the reader's language."""
    if d is None:
        return t("descent.none", lang)
    return t(
        "descent.summary",
        lang,
        length=fmt_km(d.length_m, lang),
        drop=fmt_m(d.drop_m, lang),
        grade=fmt_down_pct(d.avg_grade_pct),
        a=f"{d.start_m / 1000:.1f}",
        b=f"{d.end_m / 1000:.1f}",
    )


def descent_facts(an: object, lang: str) -> list[tuple[str, str]]:
    """(label, value) pairs: steepest 100 m downhill and the longest descent. Empty without elevation: the page then
    shows no descent rows at all rather than two dashes."""
    steepest = getattr(an, "min_grade_100m_pct", None)
    if steepest is None or not math.isfinite(steepest):
        return []
    return [
        (t("fact.steepest_down", lang), fmt_down_pct(steepest)),
        (t("fact.longest_descent", lang), descent_text(an.longest_descent, lang)),
    ]


__all__ = ["MINUS", "NBSP", "descent_facts", "descent_text", "fmt_down_pct"]
