"""Edit POIs (url editor_pois): click the map to place or move, edit texts and photo, delete/restore, history, import."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages._shared import MAP_HEIGHT_PX, current_lang, file_uploader, md_text, show_map
from pages.editor_common import (
    bilingual_text_fields,
    editor_gate,
    fmt_when,
    remember_conflict,
    render_conflict,
    show_error,
    show_field_errors,
)
from routes.analysis.areas import RADIUS_MAX_M, outline_rings, representative_point
from routes.core.errors import GuideError
from routes.store import POI_CATEGORIES, ConflictError, ValidationError
from routes.store.importers import IMPORT_MAX_BYTES
from routes.store.photos import PHOTO_CREDIT_MAX_CHARS, PHOTO_MAX_BYTES
from routes.text.i18n import pick, t
from routes.views import guide
from routes.views.drawing import drawn_area, same_outline
from routes.views.editing import (
    POI_FORM_FIELDS,
    action_label,
    changed_fields,
    click_to_wgs84,
    editor_map,
    poi_extent_changes,
    poi_history_rows,
    user_label,
)
from routes.views.maps import MapLine, category_label

NEW = "__new__"
NO_ROUTE = "__none__"
#: The last map click the page acted on (a point added there, or the selected point moved there): the map keeps
#: reporting its last click on every run, and a click already used must not fill the next new point's form.
CLICK_USED_KEY = "ed_poi_click_used"
#: How many points this session added: part of the new-point form's key, so each add is followed by an empty form.
NEW_FORMS_KEY = "ed_poi_new_count"
#: Basemaps offered to editors: the Chinese road map (GCJ-02) and OpenStreetMap (WGS-84).
EDITOR_BASEMAPS = ("amap", "osm")

lang = current_lang()
store, acts, me = editor_gate(lang)
st.title(t("ed.pois.heading", lang))

# Messages go into a container that exists on every run, so the map below keeps its place in the page (a map that
# moves to another position is rebuilt by the browser, and a rebuilt map frame can come back blank).
with st.container():
    flash = st.session_state.pop("ed_poi_flash", None)
    if flash:
        st.success(md_text(flash))
    action_error = st.session_state.pop("ed_poi_error", None)
    if action_error:
        st.error(action_error, icon=":material/error:")

all_pois = store.list_pois(include_deleted=True)
live = sorted((p for p in all_pois if not p.deleted), key=lambda p: pick(p.name_zh, p.name_en, lang))
trash = [p for p in all_pois if p.deleted]
by_id = {p.id: p for p in all_pois}

options = [NEW] + [p.id for p in live]
if st.session_state.get("ed_poi_pick_next") in options:
    st.session_state["ed_poi_pick"] = st.session_state.pop("ed_poi_pick_next")
if st.session_state.get("ed_poi_pick") not in options:
    st.session_state["ed_poi_pick"] = NEW


def poi_label(pid: str) -> str:
    if pid == NEW:
        return t("ed.pois.new", lang)
    p = by_id[pid]
    return f"{pick(p.name_zh, p.name_en, lang)} · {category_label(p.category, lang)}"


# --- the map ------------------------------------------------------------------------------------------------------
st.caption(t("ed.pois.map_help", lang))
c1, c2, c3 = st.columns([1, 1, 2])
with c1:
    basemap = st.selectbox(t("ed.pois.basemap", lang), EDITOR_BASEMAPS, key="ed_poi_basemap",
                           format_func=lambda k: t(f"map.basemap.{k}", lang))
with c2:
    routes = store.list_routes(status=None)
    overlay = st.selectbox(t("ed.pois.route_overlay", lang), [NO_ROUTE] + [r.slug for r in routes],
                           key="ed_poi_overlay",
                           format_func=lambda s: t("ed.pois.none_route", lang) if s == NO_ROUTE else
                           pick(*next((r.name_zh, r.name_en) for r in routes if r.slug == s), lang))
with c3:
    selected_id = st.selectbox(t("ed.pois.pick", lang), options, key="ed_poi_pick", format_func=poi_label)
selected = by_id.get(selected_id)


def pick_next(pid: str) -> None:
    """on_click: select ``pid`` (NEW for a new point) on the next run, before the picker is drawn."""
    st.session_state["ed_poi_pick_next"] = pid


def move_here(pid: str, spot: tuple[float, float]) -> None:
    """on_click: fill the selected point's form with the clicked spot (saved only with "save changes")."""
    st.session_state[f"ed_poi_move_{pid}"] = spot
    st.session_state[CLICK_USED_KEY] = spot


# Drawing an area is a mode: the map then sends back its shapes, not clicks (a click that reran the page would wipe a
# polygon half drawn). Above the map, on every run, so the map keeps its place in the page.
draw_mode = st.toggle(t("draw.mode", lang), key="ed_poi_draw", help=t("draw.mode_help", lang))
# Said about a map click, and its choices; a container on every run, so the map below keeps its place.
click_box = st.container()
# The map is drawn into this slot at the END of the run, after every action below: an action that saves and reruns
# must not interrupt a run that has already sent the map component (its frame would come back blank).
map_slot = st.container()
# Each point (each new-point form) has its own drawing state.
map_key = f"ed_poi_map_{basemap}_{lang}"
if draw_mode:
    map_key += f"_draw_{selected_id}_{st.session_state.get(NEW_FORMS_KEY, 0) if selected is None else ''}"
raw_click = None if draw_mode else (st.session_state.get(map_key) or {}).get("last_clicked")
#: The outline drawn on the map and not saved yet (WGS-84); None for "every shape deleted"; UNDRAWN when the editor
#: changed nothing on the map.
UNDRAWN = "undrawn"
pending_area = UNDRAWN
if draw_mode:
    raw_drawings = (st.session_state.get(map_key) or {}).get("all_drawings")
    if raw_drawings is not None:
        drawn = drawn_area(raw_drawings, to_wgs84=lambda lat, lon: click_to_wgs84(lat, lon, basemap=basemap, lang=lang))
        if not same_outline(drawn, selected.area if selected is not None else None):
            pending_area = drawn
click = None
if raw_click and raw_click.get("lat") is not None:
    spot = click_to_wgs84(raw_click["lat"], raw_click["lng"], basemap=basemap, lang=lang)
    click = spot if spot != tuple(st.session_state.get(CLICK_USED_KEY) or ()) else None
if click:
    with click_box:
        st.info(t("ed.pois.clicked", lang, lat=click[0], lon=click[1]), icon=":material/location_on:")
        if selected is not None:
            # Editing a point: a click never changes it by itself; moving it or adding a new point is a choice.
            st.caption(md_text(t("ed.pois.click_in_edit", lang, name=pick(selected.name_zh, selected.name_en, lang))))
            b1, b2 = st.columns(2)
            b1.button(t("ed.pois.new_here", lang), key="ed_poi_new_here", icon=":material/add_location_alt:",
                      type="primary", on_click=pick_next, args=(NEW,))
            b2.button(t("ed.pois.use_click", lang), key=f"ed_poi_use_click_{selected.id}",
                      icon=":material/my_location:", on_click=move_here, args=(selected.id, click))


def draw_map() -> None:
    lines = []
    if overlay != NO_ROUTE:
        loaded = guide.load_route(store, overlay)
        if loaded is not None:
            info, ra = loaded
            lines.append(MapLine(info.slug, pick(info.name_zh, info.name_en, lang), ra.map_lat, ra.map_lon,
                                 arrows=False))
    moved = st.session_state.get(f"ed_poi_move_{selected_id}") if selected is not None else None
    fmap = editor_map(lang=lang, pois=live, basemap=basemap, lines=lines, selected_id=selected_id,
                      pending=click or moved, draw_area=draw_mode)
    with map_slot:
        show_map(fmap, key=map_key, height=MAP_HEIGHT_PX,
                 returned_objects=("all_drawings",) if draw_mode else ("last_clicked",))


# --- forms --------------------------------------------------------------------------------------------------------
def poi_form(form_key: str, values: dict, submit_label: str):
    slots: dict[str, object] = {}
    out: dict[str, object] = {}
    with st.form(form_key):
        bilingual_text_fields(form_key, values, out, slots, lang)
        c1, c2, c3 = st.columns(3)
        with c1:
            cat = values.get("category") or "viewpoint"
            out["category"] = st.selectbox(t("ed.pois.category", lang), POI_CATEGORIES,
                                           index=POI_CATEGORIES.index(cat) if cat in POI_CATEGORIES else 0,
                                           format_func=lambda c: category_label(c, lang), key=f"{form_key}_category")
            slots["category"] = st.empty()
        with c2:
            out["lat"] = st.number_input(t("ed.pois.lat", lang), value=values.get("lat"), min_value=-90.0,
                                         max_value=90.0, format="%.6f", step=0.0001, key=f"{form_key}_lat")
            slots["lat"] = st.empty()
        with c3:
            out["lon"] = st.number_input(t("ed.pois.lon", lang), value=values.get("lon"), min_value=-180.0,
                                         max_value=180.0, format="%.6f", step=0.0001, key=f"{form_key}_lon")
            slots["lon"] = st.empty()
        if values.get("area"):
            st.caption(t("ed.pois.has_area", lang, points=sum(len(r) for r in outline_rings(values["area"]))))
        if pending_area is None:
            st.warning(t("draw.pending_removed", lang), icon=":material/draw:")
        elif pending_area != UNDRAWN:
            st.warning(t("draw.pending", lang, points=sum(len(r) for r in outline_rings(pending_area))),
                       icon=":material/draw:")
        slots["area"] = st.empty()
        out["radius_m"] = st.number_input(t("ed.pois.radius", lang), value=float(values.get("radius_m") or 0.0),
                                          min_value=0.0, max_value=RADIUS_MAX_M, step=10.0, format="%.0f",
                                          help=t("ed.pois.radius_help", lang), key=f"{form_key}_radius_m")
        slots["radius_m"] = st.empty()
        c1, c2, c3, c4 = st.columns(4)
        for col, field, label in ((c1, "hours", "ed.field.hours_zh"), (c2, "hours_en", "ed.field.hours_en"),
                                  (c3, "phone", "ed.pois.phone"), (c4, "url", "ed.pois.url")):
            with col:
                out[field] = st.text_input(t(label, lang), value=values.get(field, ""), key=f"{form_key}_{field}")
                slots[field] = st.empty()
        submitted = st.form_submit_button(submit_label, type="primary")
    if out.get("lat") is None:
        out.pop("lat")
    if out.get("lon") is None:
        out.pop("lon")
    return submitted, out, slots


def run_action(call, *, poi_id: str | None, flash: str, next_pick: str | None = None, forget_version: bool = False,
               **kwargs) -> None:
    """on_click callback for a button: Streamlit runs it BEFORE the next run, so the page is then drawn once with
    the new data (no st.rerun after the map was sent, which can leave the map frame blank)."""
    version_key = f"ed_poi_ver_{poi_id}"
    try:
        result = call(**kwargs) if poi_id is None else call(poi_id, **kwargs)
    except ConflictError as exc:
        if poi_id is None:
            st.session_state["ed_poi_error"] = exc.message(lang)
        else:
            st.session_state[f"ed_poi_conflict_{poi_id}"] = (exc.message(lang), dict(exc.attempted))
        return
    except GuideError as exc:
        st.session_state["ed_poi_error"] = exc.message(lang)
        return
    if forget_version:
        st.session_state.pop(version_key, None)
    elif getattr(result, "version", None) is not None:
        st.session_state[version_key] = result.version
    # Always select by value after a write: the browser answers with the picker's old label, which a renamed or
    # restored point no longer has, so the picker would keep the old name or fall back to "new point".
    if next_pick is not None or poi_id is not None:
        st.session_state["ed_poi_pick_next"] = next_pick if next_pick is not None else poi_id
    if isinstance(result, dict) and {"added", "changed"} <= result.keys():
        # An import says what it really did: records matched meanwhile (a second click, another editor) are not added.
        flash = t("ed.import.done", lang, added=result["added"], changed=result["changed"])
    st.session_state["ed_poi_flash"] = flash


if selected is not None:
    render_conflict(f"ed_poi_conflict_{selected.id}", lambda: store.get_poi(selected.id), f"ed_poi_ver_{selected.id}", lang)

tab_edit, tab_history, tab_import = st.tabs([t("ed.pois.tab.edit", lang), t("ed.pois.tab.history", lang),
                                             t("ed.pois.tab.import", lang)])

with tab_edit:
    if selected is None:
        st.subheader(t("ed.pois.new_heading", lang))
        st.caption(t("ed.pois.new_hint", lang))
        start = {"lat": click[0], "lon": click[1]} if click else {}
        suffix = f"{click[0]}_{click[1]}" if click else "none"
        added = st.session_state.get(NEW_FORMS_KEY, 0)
        suffix += f"_{added}" if added else ""
        submitted, values, slots = poi_form(f"ed_poi_new_{suffix}".replace(".", "_").replace("-", "m"), start,
                                            t("ed.pois.create", lang))
        if submitted:
            if pending_area not in (None, UNDRAWN):
                # A new place drawn as an area: its marker goes inside it unless the editor placed one.
                values = {**values, "area": pending_area, "radius_m": None}
                if "lat" not in values or "lon" not in values:
                    try:
                        values["lat"], values["lon"] = representative_point(pending_area)
                    except ValueError:
                        pass  # an outline that is no polygon: the store's check says so under the field
            try:
                poi = acts.create_poi(values)
            except ValidationError as exc:
                show_field_errors(exc, slots, lang)
            except GuideError as exc:
                show_error(exc, lang)
            else:
                # Back to an empty "new point" form: the next click adds the next point, and changing this one is
                # an explicit choice (pick it). Staying on the new point let the next name typed overwrite it.
                st.session_state["ed_poi_pick_next"] = NEW
                st.session_state[NEW_FORMS_KEY] = added + 1
                if click:
                    st.session_state[CLICK_USED_KEY] = click
                st.session_state["ed_poi_flash"] = t("ed.pois.created", lang, name=pick(poi.name_zh, poi.name_en, lang))
                st.rerun()
    else:
        h1, h2 = st.columns([3, 1], vertical_alignment="center")
        h1.subheader(md_text(t("ed.pois.editing", lang, name=pick(selected.name_zh, selected.name_en, lang))))
        h2.button(t("ed.pois.new", lang), key="ed_poi_to_new", on_click=pick_next, args=(NEW,))
        # The same number as the history and the messages after a save (a POI's revisions are its versions).
        st.caption(md_text(t("ver.poi.status", lang, version=selected.version,
                             by=user_label(selected.updated_by, lang), at=fmt_when(selected.updated_at))))
        version_key = f"ed_poi_ver_{selected.id}"
        if version_key not in st.session_state:
            st.session_state[version_key] = selected.version
        loaded_version = st.session_state[version_key]
        move_key = f"ed_poi_move_{selected.id}"
        moved = st.session_state.get(move_key)
        current = {k: getattr(selected, k) for k in POI_FORM_FIELDS}
        start = {**current, "area": selected.area}
        if moved:
            start["lat"], start["lon"] = moved
            st.caption(t("ed.pois.moved_hint", lang))
        form_key = f"ed_poi_{selected.id}_{loaded_version}_{'m' if moved else 'k'}"
        submitted, values, slots = poi_form(form_key, start, t("ed.form.save", lang))
        if submitted:
            changes = poi_extent_changes(changed_fields(current, values), has_area=bool(selected.area))
            if pending_area != UNDRAWN:  # the outline drawn on the map, checked by the store like an imported one
                changes["area"] = pending_area
                if pending_area:
                    changes["radius_m"] = None
            if not changes:
                st.info(t("ed.form.unchanged", lang))
            else:
                try:
                    new = acts.update_poi(selected.id, changes, expected_version=loaded_version)
                except ValidationError as exc:
                    show_field_errors(exc, slots, lang)
                except ConflictError as exc:
                    remember_conflict(exc, f"ed_poi_conflict_{selected.id}", lang)
                except GuideError as exc:
                    show_error(exc, lang)
                else:
                    st.session_state[version_key] = new.version
                    st.session_state.pop(move_key, None)
                    st.session_state["ed_poi_pick_next"] = selected.id  # by value: its label just changed
                    st.session_state["ed_poi_flash"] = t("ver.saved", lang, version=new.version)
                    st.rerun()

        # photo
        limit_mb = PHOTO_MAX_BYTES // (1024 * 1024)
        if selected.photo_id:
            try:
                st.image(store.get_photo(selected.photo_id), width=240)
            except GuideError:
                pass
        up = file_uploader(t("ed.pois.photo", lang, limit_mb=limit_mb), type=["jpg", "jpeg", "png", "webp"],
                           key=f"ed_poi_photo_{selected.id}", lang=lang, max_bytes=PHOTO_MAX_BYTES)
        credit_key = f"ed_poi_photo_credit_{selected.id}"
        if up is not None:
            st.text_input(t("ed.pois.photo_credit", lang), key=credit_key, max_chars=PHOTO_CREDIT_MAX_CHARS,
                          help=t("ed.pois.photo_credit_help", lang))

        def save_photo(poi_id: str, **kwargs: object) -> object:
            # The credit as typed when the button is pressed (on_click's kwargs hold the previous run's value).
            return acts.set_poi_photo(poi_id, credit=st.session_state.get(credit_key, ""), **kwargs)

        c1, c2 = st.columns(2)
        with c1:
            if up is not None:
                st.button(t("ed.pois.photo_save", lang), key=f"ed_poi_photo_save_{selected.id}",
                          on_click=run_action, args=(save_photo,),
                          kwargs={"poi_id": selected.id, "flash": t("ed.pois.photo_saved", lang),
                                  "image_bytes": up.getvalue(), "expected_version": loaded_version})
        with c2:
            if selected.photo_id:
                st.button(t("ed.pois.photo_remove", lang), key=f"ed_poi_photo_rm_{selected.id}",
                          on_click=run_action, args=(acts.set_poi_photo,),
                          kwargs={"poi_id": selected.id, "flash": t("ed.form.saved", lang), "image_bytes": None,
                                  "expected_version": loaded_version})

        # delete
        st.divider()
        sure = st.checkbox(t("ed.pois.delete_confirm", lang), key=f"ed_poi_del_ok_{selected.id}")
        st.button(t("ed.pois.delete", lang), disabled=not sure, key=f"ed_poi_del_{selected.id}",
                  icon=":material/delete:", on_click=run_action, args=(acts.delete_poi,),
                  kwargs={"poi_id": selected.id, "expected_version": loaded_version, "next_pick": NEW,
                          "forget_version": True,
                          "flash": t("ed.pois.deleted", lang, name=pick(selected.name_zh, selected.name_en, lang))})

    with st.expander(t("ed.pois.trash", lang), icon=":material/restore_from_trash:"):
        if not trash:
            st.caption(t("ed.pois.trash_none", lang))
        for p in trash:
            c1, c2 = st.columns([3, 1])
            with c1:
                st.markdown(md_text(f"{pick(p.name_zh, p.name_en, lang)} · {category_label(p.category, lang)}"))
            with c2:
                st.button(t("ed.pois.undelete", lang), key=f"ed_poi_undel_{p.id}", on_click=run_action,
                          args=(acts.restore_poi,),
                          kwargs={"poi_id": p.id, "expected_version": p.version, "next_pick": p.id,
                                  "forget_version": True,
                                  "flash": t("ed.pois.undeleted", lang, name=pick(p.name_zh, p.name_en, lang))})

with tab_history:
    if selected is None:
        st.caption(t("ed.pois.new_hint", lang))
    else:
        revisions = store.poi_revisions(selected.id)
        rows = poi_history_rows(revisions, lang)
        st.dataframe(pd.DataFrame([{
            t("ver.col.version", lang): t("ver.version", lang, number=r["number"]),
            t("ed.col.when", lang): fmt_when(r["at"]),
            t("ed.col.who", lang): r["user"], t("ed.col.action", lang): action_label(f"poi.{r['action']}", lang),
            t("ed.col.changes", lang): r["changes"],
        } for r in rows]), hide_index=True, width="stretch")
        numbers = [r.number for r in reversed(revisions)][1:]
        if numbers:
            number = st.selectbox(t("ed.history.restore_pick", lang), numbers, key=f"ed_poi_rev_{selected.id}",
                                  format_func=lambda n: "{} · {}".format(
                                      t("ver.version", lang, number=n), pick(revisions[n - 1].fields.get("name_zh"),
                                                                            revisions[n - 1].fields.get("name_en"),
                                                                            lang)))
            st.button(t("ver.poi.restore", lang, number=number), key=f"ed_poi_rev_go_{selected.id}",
                      icon=":material/history:", on_click=run_action, args=(acts.restore_poi_revision,),
                      kwargs={"poi_id": selected.id, "number": number,
                              "expected_version": st.session_state.get(f"ed_poi_ver_{selected.id}",
                                                                       selected.version),
                              "flash": t("ver.poi.restored", lang, number=number, version=selected.version + 1)})

with tab_import:
    up = file_uploader(t("ed.import.file", lang, limit_mb=IMPORT_MAX_BYTES // (1024 * 1024)), help=t("ed.import.help", lang), key="ed_poi_import_file",
                       lang=lang, max_bytes=IMPORT_MAX_BYTES)
    default_cat = st.selectbox(t("ed.import.default_category", lang), POI_CATEGORIES,
                               format_func=lambda c: category_label(c, lang), key="ed_poi_import_cat")
    if up is not None:
        try:
            preview = store.preview_poi_import(up.getvalue(), up.name, default_category=default_cat)
        except GuideError as exc:
            show_error(exc, lang)
        else:
            st.info(t("ed.import.summary", lang, added=len(preview.added), changed=len(preview.changed),
                      unchanged=len(preview.unchanged), problems=len(preview.problems)))
            name_col = t("ed.col.name", lang)
            if preview.added:
                st.markdown(f"**{t('ed.import.added', lang)}**")
                st.dataframe(pd.DataFrame([{name_col: pick(r["name_zh"], r["name_en"], lang),
                                            t("ed.pois.category", lang): category_label(r["category"], lang),
                                            t("ed.pois.lat", lang): r["lat"], t("ed.pois.lon", lang): r["lon"]}
                                           for r in preview.added]), hide_index=True, width="stretch")
            if preview.changed:
                st.markdown(f"**{t('ed.import.changed', lang)}**")
                st.dataframe(pd.DataFrame([{name_col: pick(c.poi.name_zh, c.poi.name_en, lang),
                                            t("ed.col.field", lang): k, t("ed.col.old", lang): str(a),
                                            t("ed.col.new", lang): str(b)}
                                           for c in preview.changed for k, (a, b) in c.changes.items()]),
                             hide_index=True, width="stretch")
            if preview.unchanged:
                st.markdown(f"**{t('ed.import.unchanged', lang)}**")
                st.caption(md_text("、".join(pick(p.name_zh, p.name_en, lang) for p in preview.unchanged)))
            if preview.problems:
                st.markdown(f"**{t('ed.import.problems', lang)}**")
                st.dataframe(pd.DataFrame([{t("ed.col.record", lang): pr.record, t("ed.col.field", lang): pr.error.field,
                                            t("ed.col.problem", lang): pr.error.message(lang)}
                                           for pr in preview.problems]), hide_index=True, width="stretch")
            st.button(t("ed.import.apply", lang), type="primary", key="ed_poi_import_go",
                      disabled=bool(preview.problems) or not (preview.added or preview.changed),
                      on_click=run_action, args=(acts.apply_poi_import,),
                      kwargs={"poi_id": None, "preview": preview,
                              "flash": t("ed.import.done", lang, added=len(preview.added),
                                         changed=len(preview.changed))})


draw_map()
