"""Route page (route?id=<slug>): the shared map + profile viewer, stretch selection, facts, climbs, POIs, downloads."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st

from pages._safety import show_unavailable
from pages._shared import (
    current_lang,
    facts_grid_html,
    illustrative_notice,
    md_text,
    store_or_stop,
)
from pages.editor_common import may_preview_drafts
from routes.core.publicurl import public_url
from routes.io.downloads import qr_svg
from routes.text.i18n import fmt_duration, fmt_km, fmt_m, fmt_pct, pick, t
from routes.views import guide, navlinks, routefacts
from routes.views import photos as photo_views
from routes.views.descentfacts import descent_facts
from routes.views.htmltable import table_html
from routes.views.maps import category_label
from routes.web.mediagate import public_mime

#: Height of the embedded viewer (map + profile + its readout), in CSS pixels; static/light/viewer.css sizes its parts.
VIEWER_HEIGHT_PX = 700

lang = current_lang()
store = store_or_stop(lang)

published = store.list_routes(status="published")
slugs = [r.slug for r in published]
names = {r.slug: pick(r.name_zh, r.name_en, lang) for r in published}
slug = st.query_params.get("id") or (slugs[0] if slugs else "")

st.page_link("pages/catalogue.py", label=t("route.back", lang), query_params={"lang": lang})
# Editors preview drafts here (marked as such); anyone else meets "not found" for a draft. The session is looked up
# only for a slug that is not a published route, so a visitor's ordinary page view costs nothing more.
preview = bool(slug) and slug not in names and may_preview_drafts(store)
try:
    # Only published routes are analysed for visitors: a draft is "not found" at the cost of an unknown slug.
    loaded = (guide.load_route(store, slug, status=None if preview else "published",
                               listed=None if preview else published) if slug else None)
except guide.RouteUnavailable as exc:
    st.title(md_text(names.get(slug, slug)))
    show_unavailable(exc, lang)
    st.stop()
if loaded is None:
    if slug:
        st.error(t("route.not_found", lang, slug=slug))
    if not slugs:
        st.stop()
    choice = st.selectbox(t("route.choose", lang), slugs, format_func=names.get, index=None, key="route_choose",
                          placeholder=t("common.choose", lang))
    if choice:
        st.query_params["id"] = choice
        st.rerun()
    st.stop()

info, ra = loaded
draft = info.status != "published"
an = ra.analysis
pois = guide.visible_pois(store)
along = guide.passages(ra, pois)
name = pick(info.name_zh, info.name_en, lang)
# Each route its own document title; a draft's says so (a preview tab must not pass for the public page).
draft_mark = f" · {t('route.draft_mark', lang)}" if draft else ""
st.set_page_config(page_title=f"{name}{draft_mark} · {t('app.title', lang)}")

st.title(md_text(name) + draft_mark)
if draft:
    st.warning(t("route.draft_preview", lang), icon=":material/visibility:")
illustrative_notice(lang, [info] + [p.poi for p in along])
desc = pick(info.desc_zh, info.desc_en, lang)
if desc:
    st.write(md_text(desc))

# --- stretch selection: a slider; the viewer highlights the stretch on the map -----------------------------------
# At least one slider step: a slider whose ends are equal is refused by Streamlit (a very short route).
total_km = max(round(ra.distance_m / 1000, 1), 0.1)
slider_key = f"stretch_{slug}"
stretch_km = st.session_state.get(slider_key, (0.0, total_km))
stretch_m = None
if stretch_km[0] > 0.0 or stretch_km[1] < total_km:
    stretch_m = (stretch_km[0] * 1000, stretch_km[1] * 1000)

# A warning picked under "Surface and warnings" is shown on the map as the highlighted stretch (it wins over the
# slider's: the visitor asked for it last).
road = routefacts.facts_view(info.facts, lang)
warn_key = f"warn_{slug}"
warn_pick = st.session_state.get(warn_key)
if warn_pick is not None and 0 <= warn_pick < len(road.warnings):
    stretch_m = (road.warnings[warn_pick].from_km * 1000, road.warnings[warn_pick].to_km * 1000)

# --- facts ---------------------------------------------------------------------------------------------------------
riders = guide.rider_profiles()
first_est = ra.estimates[0][1] if ra.estimates else None
facts = [
    (t("fact.distance", lang), fmt_km(an.distance_m, lang)),
    (t("fact.ascent", lang), fmt_m(an.ascent_m, lang)),
    (t("fact.descent", lang), fmt_m(an.descent_m, lang)),
    (t("fact.highest", lang), fmt_m(an.max_ele_m, lang)),
    (t("fact.steepest", lang), fmt_pct(an.max_grade_100m_pct)),
    *descent_facts(an, lang),
    (t("fact.difficulty", lang), guide.difficulty_label(info.difficulty, lang)),
    (t("fact.surface", lang), guide.surface_label(info.surface, lang)),
    (t("fact.time", lang) + (f" · {guide.rider_name(riders[0], lang)}" if riders else ""),
     fmt_duration(first_est.total_s if first_est else None, lang)),
]
st.markdown(facts_grid_html(facts, min_col_px=150), unsafe_allow_html=True)

# --- map and profile: the same viewer as the light page (/r/<slug>), linked both ways -----------------------------
st.subheader(t("route.map", lang) + " · " + t("route.profile", lang))
if not ra.track.has_elevation:
    st.info(t("route.no_elevation", lang), icon=":material/info:")
query = {"lang": lang}
if stretch_m is not None:
    query.update({"from": f"{stretch_m[0]:.0f}", "to": f"{stretch_m[1]:.0f}"})
st.iframe(f"/r/{slug}/embed?{urlencode(query)}", height=VIEWER_HEIGHT_PX,
          alt=t("light.map_label", lang, name=name))
if ra.track.n_points > len(ra.map_lat):
    st.caption(t("route.big_track", lang, shown=len(ra.map_lat), total=ra.track.n_points,
                 profile=len(ra.profile_distance_m)))
st.slider(t("route.stretch", lang), 0.0, total_km, (0.0, total_km), step=0.1, key=slider_key,
          help=t("route.stretch_help", lang))
if stretch_m is not None:
    from routes.analysis.summary import stretch_stats

    s = stretch_stats(an, stretch_m[0], stretch_m[1])
    st.info(t(
        "route.stretch_stats", lang, a=fmt_km(stretch_m[0], lang), b=fmt_km(stretch_m[1], lang),
        length=fmt_km(s.distance_m, lang, digits=2), gain=fmt_m(s.gain_m, lang), loss=fmt_m(s.loss_m, lang),
        grade=fmt_pct(s.avg_grade_pct),
    ))

# --- the editors' route facts: getting there, then (after the map-app links) the road by km, season, last check ---
if road.getting_there:
    st.subheader(t("facts.getting_there", lang), anchor="getting-there")
    if road.getting_there_note:
        st.caption(road.getting_there_note)
    st.markdown(md_text(road.getting_there))

# --- getting to the start, and back from a one-way route's finish: links into the phone's map apps ----------------
st.subheader(t("nav.heading", lang), anchor="getting-there-start")
st.markdown(navlinks.markdown(navlinks.getting_there(info, ra, lang, guide.route_cards(store)), lang,
                              route_href=lambda s: guide.route_url(s, lang), literal=md_text))

if road.rows or road.season or road.checked:
    st.subheader(t("facts.road", lang), anchor="road")
    if road.checked:
        st.caption(road.checked)
    for w in road.warnings:
        st.warning(f"**{md_text(w.kind_label)}** · {md_text(w.km)}  \n{md_text(w.warning)}", icon=":material/warning:")
    if road.warnings:
        st.selectbox(t("facts.show_on_map", lang), list(range(len(road.warnings))), key=warn_key, index=None,
                     format_func=lambda i: f"{road.warnings[i].kind_label} · {road.warnings[i].km}",
                     placeholder=t("common.choose", lang))
    if road.rows:
        st.html(table_html(
            [t("facts.col_km", lang), t("facts.col_surface", lang), t("facts.col_warning", lang)],
            [[r.km, " · ".join(x for x in (r.surface_label, r.road) if x), r.kind_label] for r in road.rows],
        ))
    if road.season:
        st.markdown(f"**{md_text(t('facts.season', lang))}**")
        if road.season_note:
            st.caption(road.season_note)
        st.markdown(md_text(road.season))

# --- tables (plain HTML: one card per row on a phone instead of cut-off columns) ------------------------------------
st.subheader(t("route.climbs", lang))
if an.climbs:
    st.html(table_html(
        [t("col.cat", lang), t("col.start_km", lang), t("col.length", lang), t("col.avg_grade", lang)],
        [[t(f"climb.cat.{c.category}", lang) if c.category else t("climb.cat.none", lang), f"{c.start_m / 1000:.1f}",
          f"{fmt_km(c.length_m, lang, digits=2)} · +{fmt_m(c.gain_m, lang)}",
          f"{fmt_pct(c.avg_grade_pct)} / {fmt_pct(c.max_grade_pct)}"] for c in an.climbs],
        numeric=[1],
    ))
else:
    st.caption(t("route.no_climbs", lang))

st.subheader(t("route.along", lang))
if along:
    st.html(table_html(
        [t("col.km", lang), t("col.poi", lang), t("col.relation", lang), t("col.category", lang), t("col.offset", lang)],
        [[f"{p.distance_m / 1000:.1f}", pick(p.poi.name_zh, p.poi.name_en, lang), guide.passage_label(p, lang),
          category_label(p.poi.category, lang), fmt_m(p.offset_m, lang)] for p in guide.first_passages(along)],
        numeric=[0],
    ))
else:
    st.caption(t("route.no_along", lang))

# Photos of the places along the line: served resized from /r/photo/ (published POIs only), lazy, with credit.
pictures = photo_views.route_pictures(
    store, [(p.poi, f"{p.distance_m / 1000:.1f}") for p in along], lang, href=lambda pid: f"/r/poi/{pid}?lang={lang}",
)
if pictures:
    st.subheader(t("photo.gallery", lang))
    st.html(photo_views.standalone_html(photo_views.gallery_html(pictures)))

st.subheader(t("route.times", lang))
est_by_key = dict(ra.estimates)
st.html(table_html(
    [t("col.rider", lang), t("col.moving", lang), t("col.time", lang)],
    [[guide.rider_name(r, lang), fmt_duration(est_by_key[r.key].moving_s, lang),
      fmt_duration(est_by_key[r.key].total_s, lang)] for r in riders],
    row_headers=True,
))
st.caption(t("route.times_note", lang))

notes = guide.analysis_notes(an, lang, track_warnings=ra.track.warnings)
if notes:
    with st.expander(t("route.warnings", lang)):
        for note in notes:
            st.text(note)

# --- downloads -----------------------------------------------------------------------------------------------------
# Marked public: Streamlit's media files are otherwise for signed-in staff only (routes/web/mediagate.py). A draft's
# files are not: only staff may fetch them.
st.subheader(t("route.downloads", lang))
access = (lambda mime: mime) if draft else public_mime
d1, d2 = st.columns(2)
with d1:
    st.download_button(
        t("route.dl_gpx", lang), data=lambda: guide.gpx_download(info, ra, along, lang=lang),
        file_name=f"{slug}.gpx", mime=access("application/gpx+xml"), icon=":material/download:",
        key=f"dl_gpx_{slug}", on_click="ignore",
    )
    st.download_button(
        t("route.dl_tcx", lang), data=lambda: guide.tcx_download(info, ra, along, lang=lang),
        file_name=f"{slug}.tcx", mime=access("application/vnd.garmin.tcx+xml"), icon=":material/download:",
        key=f"dl_tcx_{slug}", on_click="ignore",
    )
with d2:
    page_url = st.context.url or ""
    parts = urlsplit(page_url)
    # GUIDE_PUBLIC_URL when set: the QR code and links then name the site, not the Host this request came with.
    base = public_url() or (f"{parts.scheme}://{parts.netloc}{parts.path.rsplit('/', 1)[0]}" if parts.netloc else "")
    share_url = guide.light_url(slug, lang, base=base)
    st.markdown(f'<div class="route-qr" style="max-width:180px">{qr_svg(share_url)}</div>', unsafe_allow_html=True)
    st.caption(t("route.qr", lang))
    st.markdown(f"[{t('light.share_link', lang)}]({share_url}) · [{t('light.share_picture', lang)}]"
                f"({guide.light_url(slug, lang, base=base, suffix='.png')}) · [{t('light.poster', lang)}]"
                f"({guide.light_url(slug, lang, base=base, suffix='-poster.png')})")
