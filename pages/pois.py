"""POI page: every place on a map and in a list filterable by category, each linking to the routes that pass it."""

from __future__ import annotations

import streamlit as st

from pages._shared import (
    OVERVIEW_MAP_HEIGHT_PX,
    current_lang,
    illustrative_notice,
    md_text,
    route_page_link,
    show_map,
    store_or_stop,
    tianditu_key,
)
from routes.core.limits import MAP_MAX_POIS, POIS_PER_PAGE
from routes.text.i18n import pick, t
from routes.views import guide
from routes.views import photos as photo_views
from routes.views.maps import category_label
from routes.views.poitext import poi_hours

lang = current_lang()
store = store_or_stop(lang)
pois = guide.visible_pois(store)
cards = guide.route_cards(store)
found = guide.route_passages_by_poi(cards, pois)
links = {pid: [info for info, _ in items] for pid, items in found.items()}

st.title(t("pois.heading", lang))
illustrative_notice(lang, pois)

categories = sorted({p.category for p in pois}, key=lambda c: category_label(c, lang))
chosen = st.multiselect(t("pois.filter", lang), categories, format_func=lambda c: category_label(c, lang),
                        key="pois_categories", placeholder=t("common.choose", lang))
query = st.text_input(t("pois.search", lang), key="pois_search").strip().lower()
shown = [
    p for p in pois
    if (not chosen or p.category in chosen)
    and (not query or query in f"{p.name_zh} {p.name_en} {p.desc_zh} {p.desc_en}".lower())
]

shown.sort(key=lambda p: (category_label(p.category, lang), pick(p.name_zh, p.name_en, lang)))
# Bounded whatever the number of POIs: the map draws at most MAP_MAX_POIS markers, the list one page at a time.
on_map = shown[:MAP_MAX_POIS]
show_map(
    guide.overview_map([c for c in cards], on_map, lang=lang, links=links, tianditu_key=tianditu_key()),
    key=f"pois_map_{lang}", height=OVERVIEW_MAP_HEIGHT_PX,
)
if len(shown) > len(on_map):
    st.caption(t("pois.map_capped", lang, shown=len(on_map), total=len(shown)))

if not shown:
    st.info(t("pois.none", lang))
pages = max(1, -(-len(shown) // POIS_PER_PAGE))
page = 1
if pages > 1:
    page = int(st.number_input(t("pois.page_label", lang), min_value=1, max_value=pages, step=1, key="pois_page"))
    page = min(max(page, 1), pages)
    st.caption(t("pois.page", lang, page=page, pages=pages, per_page=POIS_PER_PAGE))
for p in shown[(page - 1) * POIS_PER_PAGE : page * POIS_PER_PAGE]:
    with st.container(border=True):
        st.markdown(f"**{md_text(pick(p.name_zh, p.name_en, lang))}** · {md_text(category_label(p.category, lang))}")
        picture = photo_views.place_picture(store, p, lang, lazy=True)  # a list: most are below the first screen
        if picture is not None:
            st.html(photo_views.standalone_html(photo_views.place_html(picture)))
        desc = pick(p.desc_zh, p.desc_en, lang)
        if desc:
            st.write(md_text(desc))
        extras = [
            (t("pois.hours", lang), poi_hours(p.hours, getattr(p, "hours_en", ""), lang)),
            (t("pois.phone", lang), p.phone), (t("pois.website", lang), p.url),
        ]
        for label, value in extras:
            if value:
                st.caption(f"{md_text(label)}：{md_text(value)}" if lang == "zh" else f"{md_text(label)}: {md_text(value)}")
        extent = guide.extent_label(p, lang)
        if extent:
            st.caption(f"{md_text(t('pois.extent', lang))}：{md_text(extent)}" if lang == "zh"
                       else f"{md_text(t('pois.extent', lang))}: {md_text(extent)}")
        routes_here = found.get(p.id, [])
        if routes_here:
            cols = st.columns(min(len(routes_here), 3))
            for i, (r, ps) in enumerate(routes_here):
                with cols[i % len(cols)]:
                    route_page_link(r.slug, pick(r.name_zh, r.name_en, lang), lang, icon=":material/route:")
                    how = guide.passage_label(ps, lang)
                    if how:
                        st.caption(md_text(how))
        else:
            st.caption(t("pois.routes_none", lang))
