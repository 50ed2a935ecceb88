"""The race planner's closure-notice fields and its publish panel (issue 25): what the page shows and sends on; the
work is in routes.race.roads (road names), routes.store (publish, audited) and routes.web.racepage (the public pages).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import streamlit as st

from routes.core.roles import RACE_PUBLISH_ROLES
from routes.race.roads import RoadTextError, format_roads_text, parse_roads_text
from routes.text.i18n import fmt_datetime, t

ROADS_KEY, ORGANISER_KEY, CONTACT_KEY, DETOUR_KEY = "race_roads", "race_organiser", "race_contact", "race_detour"


def load_notice_state(plan: Any) -> None:
    """A saved plan's notice fields into the form (called where the planner loads a plan)."""
    st.session_state[ROADS_KEY] = format_roads_text(plan.roads)
    st.session_state[ORGANISER_KEY] = plan.organiser
    st.session_state[CONTACT_KEY] = plan.contact
    st.session_state[DETOUR_KEY] = plan.detour


def notice_fields(lang: str) -> dict[str, Any]:
    """The closure notice's inputs (road names, organiser, telephone, detour advice) as RacePlan keyword arguments.
    A road-name box with a mistake shows one line saying which, and its names are left out until it is fixed."""
    with st.expander(t("rp.planner.roads", lang)):
        text = st.text_area(t("rp.planner.roads", lang), key=ROADS_KEY, help=t("rp.planner.roads_help", lang),
                            placeholder=t("rp.planner.roads_placeholder", lang))
        c1, c2 = st.columns(2)
        organiser = c1.text_input(t("rp.planner.organiser", lang), key=ORGANISER_KEY)
        contact = c2.text_input(t("rp.planner.contact", lang), key=CONTACT_KEY)
        detour = st.text_area(t("rp.planner.detour", lang), key=DETOUR_KEY,
                              placeholder=t("rp.notice.detour_default", lang))
        try:
            roads = parse_roads_text(text)
        except RoadTextError as exc:
            st.error(exc.message(lang))
            roads = ()
    return {"roads": roads, "organiser": organiser.strip(), "contact": contact.strip(), "detour": detour.strip()}


def publish_panel(store: Any, acts: Any, slug: str, lang: str) -> None:
    """Published or not, the button that changes it (organisers and admins), and the public pages and notice files
    (an unpublished race opens for signed-in organisers only, marked as a draft)."""
    st.subheader(t("rp.planner.heading", lang))
    info = store.get_race_plan(slug) if slug else None
    if info is None:
        st.caption(t("rp.planner.save_first", lang))
        return
    if info.published_at is not None:
        st.success(t("rp.planner.published", lang, when=fmt_datetime(info.published_at, lang)))
    else:
        st.info(t("rp.planner.unpublished", lang))
    role = getattr(getattr(acts, "session", None), "role", None)
    may = role in RACE_PUBLISH_ROLES
    label = t("rp.planner.unpublish" if info.published_at else "rp.planner.publish", lang)
    if st.button(label, key="race_publish", disabled=not may):
        from routes.core.errors import GuideError

        try:
            acts.set_race_plan_published(slug, info.published_at is None)
            st.rerun()
        except GuideError as exc:
            st.error(exc.message(lang))
    if not may:
        st.caption(t("rp.planner.no_right", lang))
    q = "?lang=en" if lang == "en" else ""
    base = f"/r/race/{quote(slug)}"
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.link_button(t("rp.planner.open_page", lang), f"{base}{q}")
    c2.link_button(t("rp.planner.open_closures", lang), f"{base}/closures{q}")
    c3.link_button(t("rp.notice.pdf_a4", lang), f"{base}/closures.pdf?size=A4&lang={lang}")
    c4.link_button(t("rp.notice.pdf_a3", lang), f"{base}/closures.pdf?size=A3&lang={lang}")
    c5.link_button(t("rp.notice.csv", lang), f"{base}/closures.csv{q}")
