"""Edit routes (url editor_routes): upload with a quality report, bilingual details, publish, history and restore."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages._shared import current_lang, facts_grid_html, file_uploader, md_text, show_map, show_static_map
from pages.editor_common import (
    bilingual_text_fields,
    editor_gate,
    fmt_when,
    remember_conflict,
    render_conflict,
    show_error,
    show_field_errors,
)
from pages.editor_facts import facts_tab
from routes.analysis.quality import NO_LINE_FINDINGS
from routes.core.errors import GuideError
from routes.store import DIFFICULTIES, SURFACES, ConflictError, ValidationError
from routes.text.i18n import fmt_duration, fmt_km, pick, t, tn
from routes.views import guide
from routes.views.compare import (
    change_rows,
    changes_html,
    compare_map,
    compare_versions,
    fields_html,
    figures_html,
    history_versions,
    route_versions,
    track_versions,
    version_label,
)
from routes.views.editing import (
    UPLOAD_MAX_BYTES,
    PreparedUpload,
    action_label,
    build_upload_preview,
    changed_fields,
    describe_detail,
    far_label,
    gpx_place,
    prepare_upload,
    reference_lines,
    revision_rows,
    route_form_values,
    route_text_restores,
    slug_suggestion,
    source_download_name,
    upload_profile,
    user_label,
)

NEW = "__new__"
SEVERITY_BOX = {"error": st.error, "warning": st.warning, "info": st.info, "ok": st.success}
#: Datum verdicts that ask the editor to convert, or to confirm keeping the coordinates as they are.
SHIFTED = ("gcj02", "bd09")

lang = current_lang()
store, acts, me = editor_gate(lang)


def _prepare(data: bytes, filename: str, convert_gcj: bool, fill_dem: bool, ref_key: tuple[str, ...],
             remove_spikes: bool = False) -> PreparedUpload:
    refs = []
    for sha in ref_key:
        try:
            refs.append(guide.analyse_gpx(sha, _fetcher(sha)))
        except guide.RouteUnavailable:
            continue  # a stored route that cannot be analysed is no reference, and must not block this upload
    return prepare_upload(data, filename, references=reference_lines(refs), convert_gcj=convert_gcj,
                          fill_dem=fill_dem, remove_spikes=remove_spikes)


def _session_preview(ctx: str, part: str, key: tuple, make) -> object:
    """The upload's prepared file and preview, kept for this editor's session and this form only: a new file or
    option replaces the previous one and clearing the uploader drops it (a process-wide cache kept 60-120 MB per
    distinct preview for every editor, never released)."""
    slot = f"ed_preview_{part}_{ctx}"
    held = st.session_state.get(slot)
    if held is not None and held[0] == key:
        return held[1]
    st.session_state.pop(slot, None)  # release the previous preview before building the next
    value = make()
    st.session_state[slot] = (key, value)
    return value


def _fetcher(sha: str):
    def fetch() -> bytes:
        for r in store.list_routes(status=None):
            if r.sha256 == sha:
                return store.get_route_gpx(r.slug)
        raise LookupError(sha)

    return fetch


def _ref_key() -> tuple[str, ...]:
    return tuple(sorted({r.sha256 for r in store.list_routes(status=None) if r.sha256}))


# --- pieces -------------------------------------------------------------------------------------------------------


def upload_step(ctx: str) -> PreparedUpload | None:
    """File uploader, quality report with fixes, and preview. Returns the upload ready to save, or None."""
    limit_mb = UPLOAD_MAX_BYTES // (1024 * 1024)
    up = file_uploader(t("ed.upload.label", lang, limit_mb=limit_mb), help=t("ed.upload.help", lang),
                       key=f"ed_up_{ctx}", lang=lang, max_bytes=UPLOAD_MAX_BYTES)
    if up is None:
        for part in ("prep", "ra"):
            st.session_state.pop(f"ed_preview_{part}_{ctx}", None)
        return None
    data = up.getvalue()
    gcj_key, dem_key = f"ed_up_gcj_{ctx}_{up.file_id}", f"ed_up_dem_{ctx}_{up.file_id}"
    spikes_key = f"ed_up_spikes_{ctx}_{up.file_id}"
    options = (bool(st.session_state.get(gcj_key)), bool(st.session_state.get(dem_key)))
    remove_spikes = bool(st.session_state.get(spikes_key))
    try:
        # Held for this session and form only, and released when the file changes or is cleared.
        prep = _session_preview(ctx, "prep", (up.file_id, *options, remove_spikes),
                                lambda: _prepare(data, up.name, *options, _ref_key(), remove_spikes))
    except GuideError as exc:
        show_error(exc, lang)
        return None
    st.caption(md_text(t("ed.upload.read_as", lang, fmt=prep.format.upper(), name=up.name)))
    if not prep.verbatim and prep.format != "gpx":
        st.caption(t("ed.upload.converted", lang))
    rep = prep.report
    st.markdown(f"**{t('quality.heading', lang)}**")
    st.html(facts_grid_html([
        (t("quality.points", lang), f"{rep.points:,}"), (t("quality.segments", lang), str(rep.segments)),
        (t("quality.distance", lang), fmt_km(rep.distance_m, lang, digits=2)),
        (t("quality.duration", lang), fmt_duration(rep.duration_s, lang)),
    ]))
    for f in rep.findings:
        params = {k: v for k, v in f.params.items() if k != "count"}
        SEVERITY_BOX[f.severity](tn(f"quality.{f.key}", lang, f.params["count"], **params) if "count" in f.params
                                 else t(f"quality.{f.key}", lang, **params))
    if prep.place is not None and prep.place.far:  # most likely the wrong file: publishing it needs a confirmation
        st.warning(far_label("ed.place.far", prep.place, lang), icon=":material/wrong_location:")
    if prep.converted_gcj:
        st.success(t("ed.upload.bd09_done" if prep.converted_datum == "bd09" else "ed.upload.gcj_done", lang))
    if prep.filled_dem:
        st.success(t("ed.upload.dem_done", lang))
    if prep.removed_spikes:
        st.success(t("ed.upload.spikes_done", lang))
    cols = st.columns(3)
    has_line = not any(f.key in NO_LINE_FINDINGS for f in rep.findings)  # no fixes to offer for a file without one
    if has_line and rep.gcj.verdict != "outside_china":
        with cols[0]:
            label = "ed.upload.gcj_undo" if prep.converted_gcj else "ed.upload.gcj_convert"
            if st.button(t(label, lang), key=f"ed_gcj_btn_{ctx}", icon=":material/sync_alt:",
                         type="primary" if rep.gcj.verdict in SHIFTED and not prep.converted_gcj else "secondary",
                         help=t("ed.upload.gcj_explain", lang)):
                st.session_state[gcj_key] = not prep.converted_gcj
                st.rerun()
    if has_line and rep.dem_fill_available and not prep.filled_dem:
        with cols[1]:
            if st.button(t("ed.upload.dem_fill", lang), key=f"ed_dem_btn_{ctx}", icon=":material/terrain:"):
                st.session_state[dem_key] = True
                st.rerun()
    # One click takes the spikes out of the file (jumps stay: the analysis levels them); the upload is kept as the
    # revision's original.
    if rep.analysis_spikes or prep.removed_spikes:
        with cols[2]:
            label = "ed.upload.spikes_undo" if prep.removed_spikes else "ed.upload.spikes_fix"
            if st.button(t(label, lang), key=f"ed_spikes_btn_{ctx}", icon=":material/show_chart:",
                         help=t("ed.upload.spikes_explain", lang)):
                st.session_state[spikes_key] = not prep.removed_spikes
                st.rerun()

    st.markdown(f"**{t('ed.upload.preview', lang)}**")
    def analyse() -> object:
        try:
            return guide.analyse_preview(prep.sha256, prep.gpx)
        except guide.RouteUnavailable as exc:
            return exc

    # The analysis lives in this session only (released when the upload goes), never in a process-wide cache.
    ra = _session_preview(ctx, "ra", (prep.sha256,), analyse) if has_line else None  # nothing to analyse
    if isinstance(ra, guide.RouteUnavailable):
        st.warning(ra.why(lang))
        ra = None
    # The map goes out before the profile is built: it is what the editor looks at first.
    preview = build_upload_preview(prep, lang=lang, analysis=ra, profile=False) if ra is not None else None
    if preview is None or preview.map is None:
        st.info(t("ed.upload.no_preview", lang))
    else:
        show_static_map(preview.map, key=f"ed_preview_map_{ctx}_{prep.sha256[:12]}")
    profile = upload_profile(prep, lang=lang, analysis=ra) if preview is not None else None
    if profile is not None:
        st.plotly_chart(profile, key=f"ed_preview_profile_{ctx}_{prep.sha256[:12]}")
    if not rep.can_save:
        st.error(t("ed.upload.cannot_save", lang))
        return None
    if rep.gcj.verdict in SHIFTED and not prep.converted_gcj:
        if not st.checkbox(t("ed.upload.gcj_keep", lang), key=f"ed_gcj_keep_{ctx}"):
            st.warning(t("ed.upload.gcj_blocks", lang))
            return None
    return prep


def details_form(form_key: str, values: dict, *, with_slug: bool, submit_label: str):
    """The bilingual details form. Returns (submitted, new values, {field: placeholder for its message})."""
    slots: dict[str, object] = {}
    out: dict[str, object] = {}
    with st.form(form_key):
        if with_slug:
            out["slug"] = st.text_input(t("ed.form.slug", lang), value=values.get("slug", ""),
                                        help=t("ed.form.slug_help", lang), key=f"{form_key}_slug")
            slots["slug"] = st.empty()
        bilingual_text_fields(form_key, values, out, slots, lang)
        c1, c2 = st.columns(2)
        with c1:
            diff = values.get("difficulty", "moderate")
            out["difficulty"] = st.selectbox(t("ed.form.difficulty", lang), DIFFICULTIES,
                                             index=DIFFICULTIES.index(diff) if diff in DIFFICULTIES else 1,
                                             format_func=lambda k: t(f"difficulty.{k}", lang),
                                             key=f"{form_key}_difficulty")
            slots["difficulty"] = st.empty()
            out["season"] = st.text_input(t("ed.form.season", lang), value=values.get("season", ""),
                                          key=f"{form_key}_season")
            slots["season"] = st.empty()
        with c2:
            surf = values.get("surface", "paved")
            out["surface"] = st.selectbox(t("ed.form.surface", lang), SURFACES,
                                          index=SURFACES.index(surf) if surf in SURFACES else 0,
                                          format_func=lambda k: t(f"surface.{k}", lang), key=f"{form_key}_surface")
            slots["surface"] = st.empty()
            out["tags"] = st.text_input(t("ed.form.tags", lang), value=values.get("tags", ""), key=f"{form_key}_tags")
            slots["tags"] = st.empty()
        out["illustrative"] = st.checkbox(t("ed.form.illustrative", lang), value=bool(values.get("illustrative")),
                                          key=f"{form_key}_illustrative")
        slots["illustrative"] = st.empty()
        submitted = st.form_submit_button(submit_label, type="primary")
    return submitted, out, slots


# --- page ---------------------------------------------------------------------------------------------------------

st.title(t("ed.routes.heading", lang))
routes = store.list_routes(status=None)
# Names only: the status is shown (always current) in the line under the picker.
labels = {r.slug: f"{pick(r.name_zh, r.name_en, lang)} ({r.slug})" for r in routes}
options = [NEW] + [r.slug for r in routes]
# A route just created is selected on the next run (a widget's value cannot change after it was drawn).
if st.session_state.get("ed_route_pick_next") in options:
    st.session_state["ed_route_pick"] = st.session_state.pop("ed_route_pick_next")
if st.session_state.get("ed_route_pick") not in options:
    st.session_state["ed_route_pick"] = st.query_params.get("slug") if st.query_params.get("slug") in options else NEW
slug = st.selectbox(t("ed.routes.pick", lang), options, key="ed_route_pick",
                    format_func=lambda s: t("ed.routes.new", lang) if s == NEW else labels.get(s, s))

if slug == NEW:
    st.subheader(t("ed.routes.step1", lang))
    prep = upload_step("new")
    if prep is not None:
        st.subheader(t("ed.routes.step2", lang))
        guess = prep.track.name or ""
        submitted, values, slots = details_form(
            "ed_new_route", {"slug": slug_suggestion(guess), "name_zh": guess, "name_en": guess},
            with_slug=True, submit_label=t("ed.form.save_draft", lang))
        if submitted:
            new_slug = str(values.pop("slug")).strip()
            try:
                info = acts.create_route(new_slug, gpx=prep.gpx, filename=prep.filename,
                                         fields={**values, "status": "draft"}, **prep.store_kwargs())
            except ValidationError as exc:
                show_field_errors(exc, slots, lang)
            except GuideError as exc:
                show_error(exc, lang)
            else:
                st.session_state["ed_route_pick_next"] = info.slug
                st.session_state["ed_flash"] = t("ed.form.created", lang, name=pick(info.name_zh, info.name_en, lang))
                st.rerun()
    st.stop()

# --- an existing route --------------------------------------------------------------------------------------------
info = store.get_route(slug)
if info is None:
    st.stop()
version_key = f"ed_route_ver_{slug}"
if version_key not in st.session_state:
    st.session_state[version_key] = info.version
loaded_version = st.session_state[version_key]


def attempt(call, flash, *, slots: dict | None = None) -> None:
    """One write to this route: a field error goes under its field, a stale version stays on screen as a conflict,
    any other refusal is one line; on success remember the new version, say ``flash(result)`` and rerun."""
    try:
        new = call()
    except ValidationError as exc:
        if slots is None:
            show_error(exc, lang)
        else:
            show_field_errors(exc, slots, lang)
    except ConflictError as exc:
        remember_conflict(exc, f"ed_conflict_{slug}", lang)
    except GuideError as exc:
        show_error(exc, lang)
    else:
        st.session_state[version_key] = new.version
        st.session_state["ed_flash"] = flash(new)
        # Select it again by value: the browser answers with the picker's old label, which a renamed route no
        # longer has, so without this the picker would keep the old name or fall back to "new route".
        st.session_state["ed_route_pick_next"] = slug
        st.rerun()


def track_number(new) -> int:
    """The track file number of the route's current revision (after an upload or a restore)."""
    return next(r.number for r in store.route_revisions(slug) if r.id == new.revision_id)


def revision_flash(new) -> str:
    """The message for a new track: the route's version (the number in the status line) and its track file."""
    return t("ver.track_saved", lang, version=new.version, track=track_number(new))


flash = st.session_state.pop("ed_flash", None)
if flash:
    st.success(md_text(flash))
render_conflict(f"ed_conflict_{slug}", lambda: store.get_route(slug), version_key, lang)

st.caption(md_text(t("ed.routes.status_line", lang, status=t(f"ed.routes.status.{info.status}", lang),
                     version=info.version, by=user_label(info.updated_by, lang), at=fmt_when(info.updated_at))))
# A draft that never enters the guide's region is published only with the editor's explicit confirmation (the store
# refuses it otherwise, and records the confirmation in the history).
place = gpx_place(store.get_route_gpx(slug)) if info.status == "draft" else None
confirm_far = False
if place is not None and place.far:
    st.warning(far_label("ed.place.far", place, lang), icon=":material/wrong_location:")
    confirm_far = st.checkbox(far_label("ed.place.confirm", place, lang), key=f"ed_confirm_far_{slug}_{info.version}")
c1, c2 = st.columns([1, 1])
with c1:
    if info.status == "draft":
        publish = st.button(t("ed.routes.publish", lang), type="primary", icon=":material/public:", key="ed_publish")
    else:
        publish = st.button(t("ed.routes.unpublish", lang), icon=":material/unpublished:", key="ed_unpublish")
with c2:
    if info.status == "published":
        st.page_link("pages/route.py", label=t("ed.routes.view_public", lang), icon=":material/open_in_new:",
                     query_params={"id": slug, "lang": lang})
    else:  # editors see a draft's route page as cyclists will, marked as a draft
        st.page_link("pages/route.py", label=t("ed.routes.preview_draft", lang), icon=":material/visibility:",
                     query_params={"id": slug, "lang": lang})
if publish:
    target = "published" if info.status == "draft" else "draft"
    attempt(lambda: acts.set_route_status(slug, target, expected_version=loaded_version, confirm_far=confirm_far),
            lambda new: t("ver.published" if target == "published" else "ver.unpublished", lang, version=new.version))

tab_details, tab_facts, tab_upload, tab_history, tab_compare = st.tabs([
    t("ed.routes.tab.details", lang), t("ed.routes.tab.facts", lang), t("ed.routes.tab.upload", lang),
    t("ed.routes.tab.history", lang), t("ver.compare.heading", lang)])
with tab_facts:  # getting there, season, surfaces and warnings by km (pages/editor_facts.py)
    facts_tab(store=store, acts=acts, info=info, slug=slug, lang=lang, loaded_version=loaded_version,
              attempt=attempt)
history = store.route_history(slug)
# One number for a state of the route: its version (the status line's); track files keep theirs beside it.
versions = route_versions(history, info.version)
track_version = track_versions(versions)


def track_label(rev) -> str:
    return version_label(track_version[rev.number], lang, track=rev.number) if rev.number in track_version \
        else t("ver.track", lang, number=rev.number)


def track_analysis(number: int | None):
    """The guide's analysis of one track file of this route (cached by content), or None if it cannot be read."""
    rev = next((r for r in store.route_revisions(slug) if r.number == number), None)
    if rev is None:
        return None
    try:
        return guide.analyse_gpx(rev.sha256, lambda: store.get_route_gpx(slug, rev.id))
    except guide.RouteUnavailable:
        return None


def render_compare() -> None:
    """Two versions picked by the editor: texts side by side, the figures' differences, both lines on one map."""
    if len(versions) < 2:
        st.info(t("ver.compare.need_two", lang))
        return
    numbers = [v.version for v in reversed(versions)]  # newest first
    by_number = {v.version: v for v in versions}
    c1, c2 = st.columns(2)
    # Keyed by the current version: after a save the pickers start again on the newest two.
    first = c1.selectbox(t("ver.compare.a", lang), numbers, index=1, key=f"ed_cmp_a_{slug}_{info.version}",
                         format_func=lambda n: version_label(n, lang))
    second = c2.selectbox(t("ver.compare.b", lang), numbers, index=0, key=f"ed_cmp_b_{slug}_{info.version}",
                          format_func=lambda n: version_label(n, lang))
    if first == second:
        st.info(t("ver.compare.same_version", lang))
        return
    a, b = sorted((by_number[first], by_number[second]), key=lambda v: v.version)
    ra_a, ra_b = track_analysis(a.track), track_analysis(b.track)
    for v, ra in ((a, ra_a), (b, ra_b)):
        if ra is None:
            st.warning(t("ver.compare.no_track", lang, version=v.version))
    cmp = compare_versions(a, b, ra_a, ra_b, lang)
    st.markdown(f"**{t('ver.compare.texts', lang)}**")
    st.html(fields_html(cmp, lang))
    if ra_a is None or ra_b is None:
        return
    st.markdown(f"**{t('ver.compare.figures', lang)}**")
    if cmp.same_track:
        st.caption(t("ver.compare.same_track", lang, track=a.track))
    st.html(figures_html(cmp, lang))
    st.markdown(f"**{t('ver.compare.map', lang)}**")
    show_map(compare_map(ra_a, ra_b, label_a=version_label(a.version, lang, track=a.track),
                         label_b=version_label(b.version, lang, track=b.track), lang=lang),
             key=f"ed_cmp_map_{slug}_{a.version}_{b.version}")

with tab_details:
    current_values = route_form_values(info)
    submitted, values, slots = details_form(f"ed_route_{slug}_{loaded_version}", current_values, with_slug=False,
                                            submit_label=t("ed.form.save", lang))
    if submitted:
        changes = changed_fields(current_values, values)
        if not changes:
            st.info(t("ed.form.unchanged", lang))
        else:
            attempt(lambda: acts.update_route(slug, changes, expected_version=loaded_version),
                    lambda new: t("ver.saved", lang, version=new.version), slots=slots)

with tab_upload:
    prep = upload_step(f"rev_{slug}")
    if prep is not None:
        note = st.text_input(t("ed.upload.note", lang), key=f"ed_rev_note_{slug}")
        rev_far = False  # a published route replaced by a line outside the region: the same confirmation
        if info.status == "published" and prep.place is not None and prep.place.far:
            rev_far = st.checkbox(far_label("ed.place.confirm_revision", prep.place, lang),
                                  key=f"ed_rev_far_{slug}_{prep.sha256[:12]}")
        if st.button(t("ed.upload.save_revision", lang), type="primary", key=f"ed_rev_save_{slug}"):
            attempt(lambda: acts.add_route_revision(slug, prep.gpx, filename=prep.filename, note=note,
                                                    expected_version=loaded_version, confirm_far=rev_far,
                                                    **prep.store_kwargs()),
                    revision_flash)

with tab_history:
    revisions = store.route_revisions(slug)
    st.markdown(f"**{t('ed.history.revisions', lang)}**")
    st.dataframe(pd.DataFrame(revision_rows(revisions, current_id=info.revision_id, lang=lang, when=fmt_when,
                                            versions=track_version)),
                 hide_index=True, width="stretch")
    # Any revision's files can be downloaded, the current one too: the GPX the guide uses and the original upload.
    # The key names the current revision, so after an upload or a restore the picker starts on the new current one.
    dl_rev = st.selectbox(t("ed.history.download_pick", lang), list(reversed(revisions)),
                          key=f"ed_rev_dl_pick_{slug}_{info.revision_id}",
                          format_func=lambda r: f"{track_label(r)} · {fmt_when(r.uploaded_at)} · {r.filename}")
    c1, c2 = st.columns(2)
    with c1:
        st.download_button(t("ed.history.download", lang), data=store.get_route_gpx(slug, dl_rev.id),
                           file_name=f"{slug}-r{dl_rev.number}.gpx", mime="application/gpx+xml",
                           key=f"ed_rev_dl_{slug}", icon=":material/download:")
    with c2:
        if dl_rev.derived:
            src, fmt, _name = store.get_route_source(slug, dl_rev.id)
            st.download_button(t("ed.history.download_original", lang, fmt=fmt.upper()), data=src,
                               file_name=source_download_name(slug, dl_rev.number, fmt),
                               mime="application/octet-stream", key=f"ed_rev_src_dl_{slug}",
                               icon=":material/description:")
    older = [r for r in reversed(revisions) if r.id != info.revision_id]
    if older:
        pick_rev = st.selectbox(t("ver.restore_track_pick", lang), older, key=f"ed_rev_pick_{slug}",
                                format_func=lambda r: f"{track_label(r)} · {fmt_when(r.uploaded_at)} · "
                                                      f"{user_label(r.uploaded_by, lang)}")
        if st.button(t("ed.history.restore", lang), key=f"ed_rev_restore_{slug}", icon=":material/history:"):
            attempt(lambda: acts.restore_route_revision(slug, pick_rev.id, expected_version=loaded_version),
                    lambda new: t("ver.track_restored", lang, from_track=pick_rev.number, version=new.version,
                                  track=track_number(new)))

    restores = route_text_restores(history, lang, current_version=info.version)
    st.markdown(f"**{t('ed.history.fields_pick', lang)}**")
    if not restores:
        st.caption(t("ed.history.none", lang))
    else:
        chosen = st.selectbox(t("ed.history.fields_pick", lang), range(len(restores)), key=f"ed_text_pick_{slug}",
                              label_visibility="collapsed",
                              format_func=lambda i: t("ver.text_change", lang,
                                                      version=version_label(restores[i].version, lang)
                                                      if restores[i].version else "–",
                                                      when=fmt_when(restores[i].at),
                                                      who=user_label(restores[i].user, lang)))
        # The whole change, both languages' texts, every word: the editor sees what comes back before restoring.
        st.html(changes_html(change_rows(restores[chosen].changes, lang), lang,
                             caption=t("ver.text_change_caption", lang)))
        if st.button(t("ver.texts_restore_button", lang), key=f"ed_text_restore_{slug}", icon=":material/undo:"):
            attempt(lambda: acts.update_route(slug, dict(restores[chosen].fields), expected_version=loaded_version),
                    lambda new: t("ver.texts_restored", lang, from_version=restores[chosen].version or "–",
                                  version=new.version))

    st.markdown(f"**{t('ed.history.changes', lang)}**")
    made = history_versions(history, info.version)
    st.dataframe(pd.DataFrame([{
        t("ver.col.version", lang): version_label(v, lang) if v else "",
        t("ed.col.when", lang): fmt_when(h.at), t("ed.col.who", lang): user_label(h.user, lang),
        t("ed.col.action", lang): action_label(h.action, lang),
        t("ed.col.changes", lang): describe_detail(h.action, h.detail, lang),
    } for h, v in reversed(list(zip(history, made, strict=True)))]), hide_index=True, width="stretch")

with tab_compare:
    render_compare()
