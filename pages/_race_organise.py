"""The race planner's start waves, marker names and contacts, marshal list and medical table (issue 25): what the
page shows and sends on; the work is in routes.race.plan (waves, markers), routes.race.marshals and
routes.race.medical.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import streamlit as st

from routes.core.errors import GuideError
from routes.race.plan import Marker, Wave, parse_waves_text, waves_text
from routes.text.i18n import t

WAVES_KEY = "race_waves"
#: The last waves that were read without a mistake: a typing slip shows one line and keeps these.
GOOD_WAVES_KEY = "race_waves_good"
#: Marker fields an organiser edits in the table (the rest is placed on the map or by km).
EDITABLE_FIELDS = ("label", "label_en", "contact_name", "contact_phone", "note", "note_en")


def load_wave_state(plan: Any) -> None:
    """A saved plan's waves into the form (called where the planner loads a plan)."""
    st.session_state[WAVES_KEY] = waves_text(plan.waves)
    st.session_state[GOOD_WAVES_KEY] = [w.to_dict() for w in plan.waves]


def wave_fields(lang: str, start: datetime) -> tuple[Wave, ...]:
    """The start-wave box; returns the waves to plan with (the last good ones when the box has a mistake)."""
    text = st.text_area(t("race.page.waves", lang), key=WAVES_KEY, help=t("race.page.waves_help", lang),
                        placeholder="A, +0, 36\nB, +10, 32", height=90)
    try:
        waves = parse_waves_text(text, start)
        st.session_state[GOOD_WAVES_KEY] = [w.to_dict() for w in waves]
        return waves
    except GuideError as exc:
        st.error(exc.message(lang))
        return tuple(Wave.from_dict(w) for w in st.session_state.get(GOOD_WAVES_KEY, []))


def new_marker_fields(lang: str, columns) -> dict[str, str]:
    """English name and contact of a marker being added (inside the add-marker form)."""
    c1, c2, c3 = columns
    return {
        "label_en": c1.text_input(t("race.page.label_en", lang), key="race_new_label_en").strip(),
        "contact_name": c2.text_input(t("race.page.contact_name", lang), key="race_new_contact").strip(),
        "contact_phone": c3.text_input(t("race.page.contact_phone", lang), key="race_new_phone").strip(),
    }


def marker_editor(lang: str, markers_key: str) -> None:
    """Names (Chinese and English), notes and contacts of the placed markers, edited in a table. A change that does
    not validate (a phone with letters) shows one line and changes nothing."""
    import pandas as pd

    markers = st.session_state[markers_key]
    if not markers:
        return
    labels = {
        "label": t("race.page.label", lang), "label_en": t("race.page.label_en", lang),
        "contact_name": t("race.page.contact_name", lang), "contact_phone": t("race.page.contact_phone", lang),
        "note": t("race.col.note", lang), "note_en": t("race.col.note_en", lang),
    }
    with st.expander(t("race.page.edit_contacts", lang)):
        frame = pd.DataFrame(
            [
                {"#": i + 1, t("race.page.kind", lang): t(f"race.kind.{m['kind']}", lang),
                 **{labels[f]: m.get(f, "") or "" for f in EDITABLE_FIELDS}}
                for i, m in enumerate(markers)
            ]
        )
        edited = st.data_editor(frame, hide_index=True, width="stretch", key="race_marker_editor",
                                disabled=["#", t("race.page.kind", lang)])
        if st.button(t("race.page.apply_contacts", lang), key="race_marker_apply"):
            updated = []
            try:
                for m, (_i, row) in zip(markers, edited.iterrows(), strict=True):
                    new = {**m, **{f: str(row[labels[f]] or "").strip() for f in EDITABLE_FIELDS}}
                    updated.append(Marker.from_dict(new).to_dict())  # validates each
            except GuideError as exc:
                st.error(exc.message(lang))
                return
            st.session_state[markers_key] = updated
            st.rerun()


def organise_tables(layout: Any, lang: str, stem: str) -> None:
    """The marshal list (with its CSV) and the nearest hospital to each stretch, as plain tables."""
    from routes.race.marshals import marshal_csv, marshal_rows
    from routes.race.racebook import medical_rows
    from routes.views.htmltable import table_html

    st.subheader(t("race.page.marshals", lang))
    head, rows = marshal_rows(layout, lang)
    if rows:
        st.html(table_html(head, rows, row_headers=True, numeric=[1]))
        st.download_button(t("race.page.dl_marshals", lang), marshal_csv(layout, lang),
                           f"{stem}-marshals-{lang}.csv", "text/csv", key="race_dl_marshals")
    else:
        st.caption(t("race.book.no_marshals", lang))
    st.subheader(t("race.page.medical", lang))
    head, rows = medical_rows(layout, lang)
    if rows:
        from routes.race.medical import DETOUR_FACTOR, DRIVE_SPEED_KMH

        st.caption(t("race.book.medical_note", lang, factor=f"{DETOUR_FACTOR:g}", speed=f"{DRIVE_SPEED_KMH:g}"))
        st.html(table_html(head, rows, row_headers=True, numeric=[2, 4, 5, 6]))  # numbers never wrap
    else:
        st.caption(t("race.book.no_hospitals", lang))
