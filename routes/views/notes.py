"""Data notes from reading and analysis (Track/Analysis ``warnings``) in the reader's language, with English plurals.

The readers and the analysis write their notes as plain English sentences (they are also the CLI's JSON
``warnings``, a contract); pages show them through :func:`note_text`, which recognises each sentence and gives it in
the page's language. A note no pattern knows is shown as a generic line, never as English on a Chinese page.
"""

from __future__ import annotations

import re

from routes.text.i18n import has_key, t

#: (pattern of the English note, translation key); a key with a ".one" sibling has an English singular.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), k)
    for p, k in (
        (r"^(?P<count>\d+) elevation spikes ignored$", "note.elevation_spikes"),
        (r"^(?P<count>\d+) unreadable timestamps ignored$", "note.bad_timestamps"),
        (r"^(?P<count>\d+) times have no time zone and were read as UTC$", "note.naive_times"),
        (r"^(?P<count>\d+) times could not be read and were ignored$", "note.bad_times"),
        (r"^(?P<count>\d+) points with impossible coordinates were dropped$", "note.bad_coords"),
        (r"^(?P<count>\d+) points too far from the rest of the track were dropped$", "note.far_points"),
        (r"^(?P<count>\d+) elevations outside -500 to 9000 m were ignored$", "note.absurd_ele"),
        (r"^(?P<count>\d+) times outside a credible date range were ignored$", "note.absurd_times"),
        (r"^(?P<count>\d+) of (?P<total>\d+) points have no elevation$", "note.missing_ele"),
        (r"^(?P<count>\d+) missing elevations filled from the DEM$", "note.dem_filled"),
        (r"^elevation replaced from the DEM at (?P<count>\d+) of (?P<total>\d+) points$", "note.dem_replaced"),
        (r"^time goes backwards at (?P<count>\d+) points; those steps are not counted$", "note.time_backwards"),
        (r"^all elevations in the file are 0; ignored as missing$", "note.elevation_zero"),
        (r"^elevation taken from the DEM$", "note.dem_taken"),
        (r"^missing elevations filled from the DEM$", "note.dem_filled_some"),
        (r"^unexpected GPX namespace .*$", "note.unknown_namespace"),
        (r"^the file declares no GPX namespace$", "note.no_namespace"),
        (r"^the file has no track or route points, only waypoints$", "note.waypoints_only"),
        (r"^the file has no track or route points$", "note.no_points"),
        (r"^converted from GCJ-02 to WGS-84$", "note.gcj_converted"),
        (r"^converted from BD-09 to WGS-84$", "note.bd09_converted"),
        (r"^(?P<count>\d+) plain lines beside the recorded track were not used$", "note.kml_lines_skipped"),
    )
)


def note_text(note: str, lang: str) -> str:
    """One reader/analysis note in ``lang``; English sentences take the singular for a count of 1."""
    for pattern, key in _PATTERNS:
        m = pattern.match(note.strip())
        if m is None:
            continue
        params = {k: int(v) for k, v in m.groupdict().items()}
        # English agrees with the count: "1 elevation spike was ignored", "3 elevation spikes were ignored".
        if params.get("count") == 1 and has_key(f"{key}.one"):
            key = f"{key}.one"
        return t(key, lang, **params)
    return t("note.other", lang) if lang == "zh" else note
