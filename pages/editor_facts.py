"""The route-facts tab of the route editor (not a page of its own): getting there, season, last checked, and the
surface and warnings by stretch, picked on the profile or typed by km. Logic lives in routes/views/factsedit.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pandas as pd
import streamlit as st

from routes.core.errors import GuideError
from routes.core.facts import CHECKED_ON_MAX, CHECKED_ON_MIN, END_TOLERANCE_KM
from routes.text.i18n import fmt_km, has_key, t
from routes.views import guide
from routes.views.factsedit import (
    M_PER_KM,
    STRETCH_COLUMNS,
    SURFACE_CHOICES,
    WARNING_CHOICES,
    clean_rows,
    facts_json,
    new_row,
    picked_km,
    stretch_rows,
)
from routes.views.profile import selected_range_m

#: Step of the km inputs: 100 m, the resolution an editor reads off a profile (any metre can still be typed).
KM_STEP = 0.1


def _surface_label(key: str, lang: str) -> str:
    if not key:
        return t("ed.facts.none", lang)
    return t(f"stretch_surface.{key}", lang) if has_key(f"stretch_surface.{key}") else key


def _warning_label(key: str, lang: str) -> str:
    if not key:
        return t("ed.facts.none", lang)
    return t(f"warning_kind.{key}", lang) if has_key(f"warning_kind.{key}") else key


def _profile(store: Any, slug: str, lang: str, picked: tuple[float, float] | None, key: str):
    """The route's profile with the picked stretch shaded; the km range dragged on it (metres), or None."""
    try:
        loaded = guide.load_route(store, slug)
    except GuideError:
        loaded = None
    if loaded is None:
        st.caption(t("ed.facts.no_profile", lang))
        return None
    _info, ra = loaded
    stretch_m = None if picked is None else (picked[0] * M_PER_KM, picked[1] * M_PER_KM)
    fig = guide.route_profile(ra, [], lang=lang, stretch_m=stretch_m)
    # No mode bar: its buttons are named in English only, and the drag on the profile is all the editor needs.
    event = st.plotly_chart(fig, key=key, on_select="rerun", selection_mode="box",
                            config={"displayModeBar": False})
    return selected_range_m(getattr(event, "selection", None))


def facts_tab(*, store: Any, acts: Any, info: Any, slug: str, lang: str, loaded_version: int,
              attempt: Callable[..., None]) -> None:
    """Draw the facts form for ``info`` and save it through ``attempt`` (conflicts and refusals as elsewhere)."""
    base = f"ed_facts_{slug}_{loaded_version}"
    facts = info.facts
    length_km = store.route_length_km(slug)
    st.caption(t("ed.facts.intro", lang))

    gt, season = {}, {}
    for column, code in zip(st.columns(2), ("zh", "en"), strict=True):
        with column:
            gt[code] = st.text_area(t(f"ed.facts.getting_there_{code}", lang), value=facts.getting_there.get(code),
                                    key=f"{base}_gt_{code}", help=t("ed.facts.getting_there_help", lang))
            season[code] = st.text_area(t(f"ed.facts.season_{code}", lang), value=facts.season.get(code),
                                        key=f"{base}_season_{code}")
    checked_on = st.date_input(t("ed.facts.checked_on", lang), value=facts.checked_on, min_value=CHECKED_ON_MIN,
                               max_value=CHECKED_ON_MAX - timedelta(days=1), format="YYYY-MM-DD",
                               key=f"{base}_checked", help=t("ed.facts.checked_on_help", lang))

    st.markdown(f"**{t('ed.facts.stretches', lang)}**")
    st.caption(t("ed.facts.length", lang, km=fmt_km(length_km * M_PER_KM, lang, digits=2)) + " "
               + t("ed.facts.profile_help", lang))
    from_key, to_key, seen_key = f"{base}_from", f"{base}_to", f"{base}_picked"
    current = (st.session_state.get(from_key), st.session_state.get(to_key))
    shade = current if all(v is not None for v in current) and current[1] > current[0] else None
    picked = picked_km(_profile(store, slug, lang, shade, f"{base}_profile"), length_km)
    if picked is not None and picked != st.session_state.get(seen_key):
        # A new drag on the profile fills the km inputs (drawn below, so their values may still be set this run).
        st.session_state[seen_key] = picked
        st.session_state[from_key], st.session_state[to_key] = picked
        st.caption(t("ed.facts.picked", lang, a=f"{picked[0]:g}", b=f"{picked[1]:g}"))

    top = round(length_km + END_TOLERANCE_KM, 3)
    # Empty until typed or picked; set here rather than as the widgets' value, which the picking above overrides.
    st.session_state.setdefault(from_key, None)
    st.session_state.setdefault(to_key, None)
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        from_km = st.number_input(t("ed.facts.from_km", lang), min_value=0.0, max_value=max(top, KM_STEP),
                                  step=KM_STEP, format="%.3f", key=from_key)
    with c2:
        to_km = st.number_input(t("ed.facts.to_km", lang), min_value=0.0, max_value=max(top, KM_STEP),
                                step=KM_STEP, format="%.3f", key=to_key)
    with c3:
        surface = st.selectbox(t("ed.facts.surface", lang), SURFACE_CHOICES, key=f"{base}_surface",
                               format_func=lambda k: _surface_label(k, lang))
    with c4:
        kind = st.selectbox(t("ed.facts.warning_kind", lang), WARNING_CHOICES, key=f"{base}_kind",
                            format_func=lambda k: _warning_label(k, lang))
    c1, c2, c3, c4 = st.columns(4)
    texts = {}
    for column, name in zip((c1, c2, c3, c4), ("warning_zh", "warning_en", "road_zh", "road_en"), strict=True):
        with column:
            texts[name] = st.text_input(t(f"ed.facts.{name}", lang), key=f"{base}_{name}")
    add = st.button(t("ed.facts.add", lang), key=f"{base}_add", icon=":material/add:")

    rows_key, gen_key = f"{base}_rows", f"{base}_gen"
    if rows_key not in st.session_state:
        st.session_state[rows_key] = stretch_rows(facts)
        st.session_state[gen_key] = 0
    st.caption(t("ed.facts.table_help", lang))
    # The table holds the words a person reads (a cell shows its value, not a formatted one), mapped back to the
    # stored keys when read: "沥青路" on a Chinese page, never "asphalt".
    surface_words = {k: _surface_label(k, lang) for k in SURFACE_CHOICES}
    kind_words = {k: _warning_label(k, lang) for k in WARNING_CHOICES}
    shown = pd.DataFrame(st.session_state[rows_key], columns=list(STRETCH_COLUMNS))
    shown["surface"] = shown["surface"].map(lambda k: surface_words.get(k or "", k))
    shown["warning_kind"] = shown["warning_kind"].map(lambda k: kind_words.get(k or "", k))
    edited = st.data_editor(
        shown,
        key=f"{base}_table_{st.session_state[gen_key]}", num_rows="dynamic", hide_index=True, width="stretch",
        placeholder="–",  # an empty cell means "none", not a missing value
        column_config={
            "from_km": st.column_config.NumberColumn(t("ed.facts.from_km", lang), min_value=0.0, step=0.001,
                                                     format="%.3f"),
            "to_km": st.column_config.NumberColumn(t("ed.facts.to_km", lang), min_value=0.0, step=0.001,
                                                   format="%.3f"),
            "surface": st.column_config.SelectboxColumn(t("ed.facts.surface", lang),
                                                        options=list(surface_words.values())),
            "warning_kind": st.column_config.SelectboxColumn(t("ed.facts.warning_kind", lang),
                                                             options=list(kind_words.values())),
            **{name: st.column_config.TextColumn(t(f"ed.facts.{name}", lang))
               for name in ("warning_zh", "warning_en", "road_zh", "road_en")},
        },
    )
    surface_keys = {word: k for k, word in surface_words.items()}
    kind_keys = {word: k for k, word in kind_words.items()}
    records = edited.to_dict("records")
    for row in records:
        row["surface"] = surface_keys.get(row.get("surface") or "", row.get("surface"))
        row["warning_kind"] = kind_keys.get(row.get("warning_kind") or "", row.get("warning_kind"))
    rows = clean_rows(records)
    if add:
        if from_km is None or to_km is None:
            st.error(t("ed.facts.need_km", lang), icon=":material/error:")
        else:
            # The table is drawn again from the rows kept here (a new key), so the added row shows at once.
            st.session_state[rows_key] = [*rows, new_row(from_km, to_km, surface=surface, warning_kind=kind,
                                                         **texts)]
            st.session_state[gen_key] += 1
            st.rerun()

    if st.button(t("ed.facts.save", lang), type="primary", key=f"{base}_save", icon=":material/save:"):
        obj = facts_json(getting_there=(gt["zh"], gt["en"]), season=(season["zh"], season["en"]),
                         checked_on=checked_on, rows=rows)
        attempt(lambda: acts.set_route_facts(slug, obj, expected_version=loaded_version),
                lambda _: t("ed.facts.saved", lang))
