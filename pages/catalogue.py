"""Catalogue (home): a card per published route, filters, and a map of every route and POI."""

from __future__ import annotations

import streamlit as st

from pages._safety import isolated, show_unavailable
from pages._shared import (
    OVERVIEW_MAP_HEIGHT_PX,
    current_lang,
    facts_grid_html,
    illustrative_notice,
    md_text,
    route_page_link,
    show_map,
    store_or_stop,
    tianditu_key,
)
from routes.core.limits import MAP_MAX_POIS
from routes.text.i18n import fmt_duration, fmt_km, fmt_m, pick, shorten, t
from routes.views import guide
from routes.views.profile import sketch_svg

lang = current_lang()
store = store_or_stop(lang)
unavailable: list[guide.UnavailableRoute] = []
cards = guide.route_cards(store, unavailable=unavailable)
pois = guide.visible_pois(store)

st.title(t("cat.heading", lang))
st.write(t("cat.intro", lang))
illustrative_notice(lang, [c.info for c in cards] + list(pois))

riders = guide.rider_profiles()
with st.expander(t("cat.filters", lang), expanded=False):
    max_km = max([c.distance_m / 1000 for c in cards] + [1.0])
    top = float(int(max_km) + 1)
    dist = st.slider(t("cat.filter_distance", lang), 0.0, top, (0.0, top), step=1.0, key="cat_distance")
    difficulties = sorted({c.info.difficulty for c in cards})
    diff_sel = st.multiselect(
        t("cat.filter_difficulty", lang), difficulties, format_func=lambda k: guide.difficulty_label(k, lang),
        key="cat_difficulty", placeholder=t("common.choose", lang),
    )
    surfaces = sorted({c.info.surface for c in cards})
    surf_sel = st.multiselect(
        t("cat.filter_surface", lang), surfaces, format_func=lambda k: guide.surface_label(k, lang), key="cat_surface",
        placeholder=t("common.choose", lang),
    )
rider_keys = [r.key for r in riders]
rider_names = {r.key: guide.rider_name(r, lang) for r in riders}
rider = st.selectbox(t("cat.rider", lang), rider_keys, format_func=rider_names.get, key="cat_rider")

shown = guide.filter_cards(cards, distance_km=dist, difficulties=diff_sel, surfaces=surf_sel)
st.caption(t("cat.count", lang, n=len(shown)))
if not shown:
    st.info(t("cat.none", lang))

COLUMNS = 3
#: Description shown on a card: about three lines; the route page has the whole text.
CARD_DESC_CHARS = 140
for row_start in range(0, len(shown), COLUMNS):
    cols = st.columns(COLUMNS)
    for col, card in zip(cols, shown[row_start : row_start + COLUMNS], strict=False):
        info = card.info
        with col.container(border=True), isolated(lang, where=f"catalogue card {info.slug}"):
            st.subheader(md_text(pick(info.name_zh, info.name_en, lang)))
            svg = sketch_svg(card.ra.profile_distance_m, card.ra.profile_ele_m, label=t(
                "cat.sketch_alt", lang, km=fmt_km(card.distance_m, lang), gain=fmt_m(card.ascent_m, lang)))
            if svg:
                st.markdown(f'<div class="route-sketch">{svg}</div>', unsafe_allow_html=True)
            facts = [
                (t("fact.distance", lang), fmt_km(card.distance_m, lang)),
                (t("fact.ascent", lang), fmt_m(card.ascent_m, lang)),
                (t("fact.difficulty", lang), guide.difficulty_label(info.difficulty, lang)),
                (t("cat.est_time", lang), fmt_duration(card.estimate_s(rider), lang)),
            ]
            st.markdown(facts_grid_html(facts), unsafe_allow_html=True)
            st.caption(md_text(guide.surface_label(info.surface, lang)) + " · " + md_text(
                shorten(pick(info.desc_zh, info.desc_en, lang), CARD_DESC_CHARS)))
            route_page_link(info.slug, t("cat.open", lang), lang, icon=":material/arrow_forward:")
# A published route that cannot be analysed keeps its place in the list as "unavailable" and breaks nothing else.
for row_start in range(0, len(unavailable), COLUMNS):
    cols = st.columns(COLUMNS)
    for col, bad in zip(cols, unavailable[row_start : row_start + COLUMNS], strict=False):
        with col.container(border=True):
            show_unavailable(bad.error, lang, title=md_text(pick(bad.info.name_zh, bad.info.name_en, lang)))

st.header(t("cat.map_heading", lang))
# At most MAP_MAX_POIS markers (the POI page lists them all, page by page).
pois = pois[:MAP_MAX_POIS]
with isolated(lang, where="catalogue overview map"):
    links = guide.routes_by_poi(cards, pois)
    show_map(guide.overview_map(cards, pois, lang=lang, links=links, tianditu_key=tianditu_key()),
             key=f"overview_{lang}", height=OVERVIEW_MAP_HEIGHT_PX)
