"""Organisers' race planner: routes and laps, start time, markers, timetable, closures, race book and device files."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from pages._race_organise import load_wave_state, marker_editor, new_marker_fields, organise_tables, wave_fields
from pages._race_publish import load_notice_state, notice_fields, publish_panel
from pages._shared import current_lang, illustrative_notice, show_map_clicks, store_or_stop
from pages.editor_common import race_plan_actions
from routes.core.errors import GuideError
from routes.race.plan import (
    DEFAULT_CUTOFF_SPEED_KMH,
    DEFAULT_LEAD_BUFFER_S,
    DEFAULT_TRAIL_BUFFER_S,
    DEFAULT_TZ,
    KOM_CATEGORIES,
    MARKER_KINDS,
    MAX_LAPS,
    MAX_PLAN_ROUTES,
    Marker,
    RacePlan,
    default_markers,
    default_race_name,
    parse_start,
    snap_click_m,
)
from routes.text.i18n import fmt_datetime, t

#: The seed loop suited to a road race: the planner opens on it.
DEFAULT_ROUTE = "lianghu-loop"
MARKERS_KEY = "race_markers"
CLICK_KEY = "race_clicked_m"
PLACEABLE_KINDS = [k for k in MARKER_KINDS if k not in ("start", "finish")]

lang = current_lang()
store = store_or_stop(lang)
st.title(t("race.page.title", lang))
st.caption(t("race.page.intro", lang))

routes_available = store.list_routes()
if not routes_available:
    st.info(t("race.page.no_routes", lang))
    st.stop()
route_names = {r.slug: (r.name_zh if lang == "zh" else r.name_en or r.name_zh) for r in routes_available}


@st.cache_resource(max_entries=16, show_spinner=False)
def _layout(plan_json: str, revisions: tuple[str, ...]):
    """Laid-out plan, cached per plan and route revisions (holds callables, so a resource, never pickled)."""
    from routes.race.racebook import layout_from_store

    return layout_from_store(store_or_stop(lang), RacePlan.from_dict(json.loads(plan_json)))


@st.cache_data(max_entries=32, show_spinner=False)
def _files(plan_json: str, revisions: tuple[str, ...], book_lang: str) -> dict[str, bytes]:
    from routes.race.devices import course_fit, course_gpx, course_tcx
    from routes.race.racebook import profile_png, race_book_pdf
    from routes.race.roadfacts import device_points

    layout = _layout(plan_json, revisions)
    plan, title = layout.plan, layout.plan.title(book_lang)
    points = device_points(layout)  # the markers and the routes' warnings
    return {
        "pdf": race_book_pdf(layout, lang=book_lang),
        "gpx": course_gpx(layout.course, points, lang=book_lang, name=title),
        "tcx": course_tcx(layout.course, points, start=plan.start, lang=book_lang, name=title),
        "fit": course_fit(layout.course, points, start=plan.start, lang=book_lang, name=title),
        "png": profile_png(layout, book_lang),
    }


def _load_plan_into_state(data: dict) -> None:
    plan = RacePlan.from_dict(data)
    start = plan.start_local
    st.session_state.update(
        {
            "race_name": plan.name,
            "race_name_en": plan.name_en,
            "race_routes": list(plan.route_slugs),
            "race_laps": plan.laps,
            "race_neutral_km": plan.neutral_m / 1000,
            "race_date": start.date(),
            "race_time": start.time().replace(tzinfo=None),
            "race_speeds": ", ".join(f"{v:g}" for v in plan.speeds_kmh),
            "race_riders": list(plan.rider_profiles),
            "race_cutoff": plan.cutoff_speed_kmh or 0.0,
            "race_lead": plan.lead_buffer_s / 60,
            "race_trail": plan.trail_buffer_s / 60,
        }
    )
    st.session_state[MARKERS_KEY] = [m.to_dict() for m in plan.markers]
    load_notice_state(plan)
    load_wave_state(plan)


# ---------------------------------------------------------------- saved plans
saved = {p.slug: p for p in store.list_race_plans()}

def _when(value) -> str:
    return fmt_datetime(value, lang)  # stored in UTC, read in the guide's zone like the start times


with st.expander(t("race.page.plan", lang), expanded=bool(saved)):
    c1, c2 = st.columns([3, 1])
    pick = c1.selectbox(
        t("race.page.plan", lang),
        ["", *saved],
        key="race_pick",
        format_func=lambda s: (
            t("race.page.plan_option", lang, slug=s, at=_when(saved[s].updated_at), user=saved[s].updated_by or "–")
            if s
            else t("race.page.plan_new", lang)
        ),
    )
    if c2.button(t("race.page.load", lang), disabled=not pick, key="race_load"):
        _load_plan_into_state(dict(saved[pick].plan))
        st.session_state["race_slug"] = pick
        st.session_state["race_version"] = saved[pick].version
        st.rerun()
    if saved:
        # Every plan with its last change (when, who), newest first, so an organiser finds yesterday's work.
        st.caption(t("race.page.plans_list", lang))
        newest = sorted(saved.values(), key=lambda p: p.updated_at or datetime.min, reverse=True)
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("race.col.plan", lang): p.slug,
                        t("race.col.race_name", lang): RacePlan.from_dict(dict(p.plan)).title(lang),
                        t("race.col.revision", lang): p.version,
                        t("race.col.changed_at", lang): _when(p.updated_at),
                        t("race.col.changed_by", lang): p.updated_by or "–",
                    }
                    for p in newest
                ]
            ),
            hide_index=True,
            use_container_width=True,
        )
    if pick:
        revisions = store.race_plan_revisions(pick)
        st.caption(t("race.page.history", lang))
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("race.col.revision", lang): r.number,
                        t("race.col.changed_at", lang): _when(r.at),
                        t("race.col.changed_by", lang): r.user,
                    }
                    for r in revisions
                ]
            ),
            hide_index=True,
            use_container_width=True,
        )

# ---------------------------------------------------------------- the plan form
st.session_state.setdefault(
    "race_routes", [DEFAULT_ROUTE] if DEFAULT_ROUTE in route_names else [routes_available[0].slug]
)
st.session_state.setdefault("race_laps", 3 if DEFAULT_ROUTE in route_names else 1)
st.session_state.setdefault("race_date", date.today() + timedelta(days=30))
st.session_state.setdefault("race_time", time(8, 0))
st.session_state.setdefault("race_speeds", "36, 40, 44")
st.session_state.setdefault("race_cutoff", DEFAULT_CUTOFF_SPEED_KMH)
st.session_state.setdefault("race_lead", DEFAULT_LEAD_BUFFER_S / 60)
st.session_state.setdefault("race_trail", DEFAULT_TRAIL_BUFFER_S / 60)
st.session_state.setdefault("race_neutral_km", 0.0)
st.session_state.setdefault(MARKERS_KEY, [])

c1, c2 = st.columns(2)
chosen = c1.multiselect(
    t("race.page.routes", lang),
    list(route_names),
    key="race_routes",
    format_func=lambda s: route_names.get(s, s),
    max_selections=MAX_PLAN_ROUTES,
    placeholder=t("common.choose", lang),
)
first = next((r for r in routes_available if chosen and r.slug == chosen[0]), None)
# An empty name falls back to "<route> road race" in each language on its own, never to the other language's name.
default_zh = default_race_name(first.name_zh if first else "", "zh")
default_en = default_race_name((first.name_en or first.slug) if first else "", "en")
name = c2.text_input(t("race.page.name", lang), key="race_name", placeholder=default_zh)
name_en = c2.text_input(t("race.page.name_en", lang), key="race_name_en", placeholder=default_en)
c1, c2, c3, c4 = st.columns(4)
laps = c1.number_input(t("race.page.laps", lang), min_value=1, max_value=MAX_LAPS, step=1, key="race_laps")
neutral_km = c2.number_input(
    t("race.page.neutral_km", lang), min_value=0.0, max_value=30.0, step=0.5, key="race_neutral_km"
)
start_date = c3.date_input(t("race.page.date", lang), key="race_date")
start_time = c4.time_input(t("race.page.time", lang), key="race_time", step=300)
c1, c2, c3, c4 = st.columns(4)
speeds_text = c1.text_input(t("race.page.speeds", lang), key="race_speeds")
from routes.analysis.timing import RIDER_PROFILES  # noqa: E402 - only this page needs the model's profiles

riders = c2.multiselect(
    t("race.page.riders", lang),
    list(RIDER_PROFILES),
    key="race_riders",
    placeholder=t("common.choose", lang),
    format_func=lambda k: getattr(RIDER_PROFILES[k], "name_zh" if lang == "zh" else "name_en"),
)
cutoff = c3.number_input(t("race.page.cutoff", lang), min_value=0.0, max_value=60.0, step=1.0, key="race_cutoff")
lead_min = c4.number_input(t("race.page.lead", lang), min_value=0.0, max_value=180.0, step=5.0, key="race_lead")
trail_min = c4.number_input(t("race.page.trail", lang), min_value=0.0, max_value=180.0, step=5.0, key="race_trail")

notice_extra = notice_fields(lang)  # road names, organiser, telephone, detour advice of the closure notice
# start waves, each a timetable column (a slip in the box keeps the last good waves)
waves = wave_fields(lang, parse_start(datetime.combine(start_date, start_time).strftime("%Y-%m-%d %H:%M"), DEFAULT_TZ))

if not chosen:
    st.info(t("race.page.routes", lang))
    st.stop()


def _plan(markers: list[dict]) -> RacePlan:
    try:
        speeds = tuple(float(v) for v in speeds_text.replace("，", ",").split(",") if v.strip())
    except ValueError:
        speeds = (36.0, 40.0, 44.0)
    return RacePlan(
        name=name or default_zh,
        name_en=name_en or default_en,
        route_slugs=tuple(chosen),
        start=parse_start(datetime.combine(start_date, start_time).strftime("%Y-%m-%d %H:%M"), DEFAULT_TZ),
        laps=int(laps),
        neutral_m=float(neutral_km) * 1000,
        markers=tuple(Marker.from_dict(m) for m in markers),
        speeds_kmh=speeds or (36.0, 40.0, 44.0),
        rider_profiles=tuple(riders),
        cutoff_speed_kmh=float(cutoff) or None,
        lead_buffer_s=float(lead_min) * 60,
        trail_buffer_s=float(trail_min) * 60,
        **notice_extra,
        waves=waves,
    )


route_infos = [store.get_route(s) for s in chosen]
# The cache key of the layout and files: each route's GPX sha256 and its record version, so a new revision or an edit
# of the route's flags (illustrative, ...) saved on any replica gives a new key here.
revisions = tuple(f'{getattr(i, "sha256", "") or ""}:{getattr(i, "version", 0)}' for i in route_infos)
illustrative_notice(lang, route_infos)
try:
    plan = _plan(st.session_state[MARKERS_KEY])
    plan_json = json.dumps(plan.to_dict(), ensure_ascii=False, sort_keys=True)
    layout = _layout(plan_json, revisions)
except GuideError as exc:
    st.error(exc.message(lang))
    st.stop()

course = layout.course
neutral = t("race.page.summary_neutral", lang, km=f"{course.neutral_m / 1000:g}") if course.neutral_m else ""
gain = "—" if layout.ascent_m is None else f"{layout.ascent_m:.0f}"
st.markdown(
    "**"
    + t(
        "race.page.summary",
        lang,
        km=f"{course.total_m / 1000:.1f}",
        laps=course.laps,
        lap_km=f"{course.lap_m / 1000:.1f}",
        neutral=neutral,
        gain=gain,
    )
    + "**"
)
if course.laps > 1 and not course.is_loop:
    st.warning(t("race.page.not_loop", lang))

# ---------------------------------------------------------------- map (click to place) and markers
st.subheader(t("race.page.map", lang))
from routes.race.racebook import point_title  # noqa: E402
from routes.race.stageprofile import marker_numbers  # noqa: E402
from routes.views.maps import MapLine, MapMarker, build_map  # noqa: E402

# markers carry the same number on the map and on the stage profile (the key is the table under the profile)
seen_places = set()
map_markers = []
marker_key = []
for p, number in zip(layout.points, marker_numbers(layout.points), strict=True):
    if p.kind in ("neutral", "lap"):
        continue
    place = (round(p.lat, 4), round(p.lon, 4), p.kind, number)
    if place in seen_places:
        continue
    seen_places.add(place)
    if number is None:
        map_markers.append(MapMarker(p.lat, p.lon, point_title(p, lang), p.kind))
    else:
        map_markers.append(MapMarker(p.lat, p.lon, str(number), "km", title=f"{number} · {point_title(p, lang)}"))
        marker_key.append([number, point_title(p, lang), f"{p.race_m / 1000:.1f}"])
m = build_map(
    lang=lang,
    lines=[MapLine("course", plan.title(lang), course.lap.lat, course.lap.lon)],
    markers=map_markers,
    basemap="osm",
)
st.caption(t("race.page.click_hint", lang))
click = show_map_clicks(m, key="race_map", height=420)
if click is not None:
    try:
        st.session_state[CLICK_KEY] = snap_click_m(course, *click)
        st.session_state["race_new_km"] = round(st.session_state[CLICK_KEY] / 1000, 2)
    except GuideError as exc:
        st.warning(exc.message(lang))

st.subheader(t("race.page.markers", lang))
with st.form("race_add_marker", clear_on_submit=False):
    c1, c2, c3 = st.columns(3)
    kind = c1.selectbox(
        t("race.page.kind", lang), PLACEABLE_KINDS, format_func=lambda k: t(f"race.kind.{k}", lang), key="race_new_kind"
    )
    at_label = t("race.page.at_km", lang) if course.laps > 1 else t("race.page.at_km_course", lang)
    # The position lives in session state (not value=): a keyed widget ignores a changed default, so a map click
    # writes the state above and the field shows it.
    max_km = float(course.race_m / 1000)
    if not 0.0 <= float(st.session_state.get("race_new_km", -1.0)) <= max_km:
        st.session_state["race_new_km"] = round(course.lap_m / 2000, 1)
    at_km = c2.number_input(at_label, min_value=0.0, max_value=max_km, step=0.1, key="race_new_km")
    category = c3.selectbox(
        t("race.page.category", lang),
        ["", *KOM_CATEGORIES],
        key="race_new_cat",
        # an empty label would make Streamlit show its own "Choose an option"
        format_func=lambda c: c or t("race.page.no_category", lang),
    )
    label = c1.text_input(t("race.page.label", lang), key="race_new_label")
    note = c2.text_input(t("race.page.note", lang), key="race_new_note")
    every_lap = c3.checkbox(t("race.page.every_lap", lang), value=True, key="race_new_every")
    extra = new_marker_fields(lang, st.columns(3))  # English name, contact and phone
    if st.form_submit_button(t("race.page.add", lang)):
        if kind == "hazard" and not note.strip():
            st.error(t("race.page.hazard_needs_note", lang))
        else:
            try:
                new = Marker(
                    kind,
                    float(at_km) * 1000,
                    label=label.strip(),
                    note=note.strip(),
                    category=(category or None) if kind == "kom" else None,
                    every_lap=every_lap,
                    **extra,
                )
                _plan([*st.session_state[MARKERS_KEY], new.to_dict()])  # validates against the course
                from routes.race.plan import expand_markers

                expand_markers([new], course)
                st.session_state[MARKERS_KEY] = [*st.session_state[MARKERS_KEY], new.to_dict()]
                st.session_state.pop(CLICK_KEY, None)
                st.rerun()
            except GuideError as exc:
                st.error(exc.message(lang))

c1, c2 = st.columns(2)
if c1.button(t("race.page.defaults", lang), key="race_defaults"):
    from routes.race.racebook import lap_climbs

    st.session_state[MARKERS_KEY] = [m.to_dict() for m in default_markers(course, lap_climbs(layout))]
    st.rerun()
if st.session_state[MARKERS_KEY]:
    rows = [
        {
            "#": i + 1,
            t("race.page.kind", lang): t(f"race.kind.{m['kind']}", lang),
            t("race.col.km", lang): round(m["at_m"] / 1000, 2),
            t("race.page.label", lang): m.get("label", ""),
            t("race.page.label_en", lang): m.get("label_en", ""),
            t("race.page.contact_name", lang): " ".join(filter(None, (m.get("contact_name"), m.get("contact_phone")))),
            t("race.page.category", lang): m.get("category") or "",
            t("race.page.note", lang): m.get("note", ""),
        }
        for i, m in enumerate(st.session_state[MARKERS_KEY])
    ]
    from routes.views.htmltable import table_html

    # the course markers as a plain table: one card per marker on a phone
    st.html(table_html(list(rows[0]), [list(r.values()) for r in rows], numeric=[0, 2], row_headers=True))
    drop = c2.multiselect(
        t("race.page.remove", lang), [r["#"] for r in rows], key="race_drop", placeholder=t("common.choose", lang)
    )
    if drop and c2.button(t("race.page.remove", lang), key="race_drop_go"):
        st.session_state[MARKERS_KEY] = [m for i, m in enumerate(st.session_state[MARKERS_KEY]) if i + 1 not in drop]
        st.rerun()

marker_editor(lang, MARKERS_KEY)  # names in both languages, notes and contacts of the placed markers

# ---------------------------------------------------------------- stage profile, timetable, closures
from routes.race.racebook import closure_rows, timetable_rows  # noqa: E402

book_lang = st.session_state.get("race_book_lang", lang)
files = _files(plan_json, revisions, book_lang)
st.subheader(t("race.page.profile", lang))
from routes.race.stageprofile import climb_label  # noqa: E402
from routes.views.htmltable import table_html  # noqa: E402

profile_alt = t(
    "race.profile.alt", lang, km=f"{course.total_m / 1000:.1f}", gain=gain, climbs=len(layout.climbs),
    points=len([p for p in layout.points if p.kind not in ("neutral", "lap")]),
)
st.image(files["png"] if book_lang == lang else _files(plan_json, revisions, lang)["png"], use_container_width=True,
         alt=profile_alt)
if layout.climbs:
    # the figure's text alternative in numbers; the "No." column is the number a crowded profile shows
    st.html(table_html(
        [t("race.col.no", lang), t("race.col.climb", lang), t("race.col.summit_km", lang),
         t("race.col.length_grade", lang)],
        [[i + 1, *climb_label(c, lang).split("\n", 1)[:1], f"{c.end_m / 1000:.1f}",
          climb_label(c, lang).split("\n", 1)[-1]] for i, c in enumerate(layout.climbs)],
        caption=t("race.profile.climbs_table", lang), numeric=[0, 2], row_headers=True,
    ))

if marker_key:
    st.html(table_html(
        [t("race.col.no", lang), t("race.col.marker", lang), t("race.col.first_km", lang)], marker_key,
        caption=t("race.profile.markers_table", lang), numeric=[0, 2], row_headers=True,
    ))

st.subheader(t("race.page.timetable", lang))
head, rows = timetable_rows(layout, lang)
# a plain table, not a canvas grid: it prints, reads on a phone (one card per row) and copies into a police request
st.html(table_html(head, rows, row_headers=True))
if plan.waves and plan.cutoff_speed_kmh:
    st.caption(t("race.book.waves_note", lang))
st.subheader(t("race.page.closures", lang))
st.caption(
    t("race.book.closures_note", lang, lead=f"{plan.lead_buffer_s / 60:g}", trail=f"{plan.trail_buffer_s / 60:g}")
)
head, rows = closure_rows(layout, lang)
st.html(table_html(head, rows, row_headers=True))

organise_tables(layout, lang, (chosen[0] + f"-{plan.laps}x").replace("/", "-"))  # marshal list, nearest hospitals

# ---------------------------------------------------------------- downloads
st.subheader(t("race.page.downloads", lang))
st.segmented_control(
    t("race.page.book_lang", lang),
    ["zh", "en"],
    key="race_book_lang",
    default=lang,
    format_func=lambda c: {"zh": "中文", "en": "English"}[c],
)
stem = (chosen[0] + f"-{plan.laps}x").replace("/", "-")
c1, c2, c3, c4, c5 = st.columns(5)
c1.download_button(
    t("race.page.dl_pdf", lang), files["pdf"], f"{stem}-racebook-{book_lang}.pdf", "application/pdf", key="race_dl_pdf"
)
c2.download_button(t("race.page.dl_gpx", lang), files["gpx"], f"{stem}.gpx", "application/gpx+xml", key="race_dl_gpx")
c3.download_button(
    t("race.page.dl_tcx", lang), files["tcx"], f"{stem}.tcx", "application/vnd.garmin.tcx+xml", key="race_dl_tcx"
)
c4.download_button(
    t("race.page.dl_fit", lang), files["fit"], f"{stem}.fit", "application/octet-stream", key="race_dl_fit"
)
c5.download_button(t("race.page.dl_png", lang), files["png"], f"{stem}-profile.png", "image/png", key="race_dl_png")

# ---------------------------------------------------------------- save with history
st.subheader(t("race.page.save", lang))
c1, c2, c3 = st.columns([2, 2, 1])
slug = c1.text_input(t("race.page.plan_slug", lang), key="race_slug", placeholder=f"{chosen[0]}-race")
acts = race_plan_actions(store)  # the signed-in account, when its role may save race plans (routes/store/auth.py)
user = acts.session.user if acts is not None else None
if not user:
    st.caption(t("race.page.login_to_save", lang))
if c3.button(t("race.page.save", lang), key="race_save", disabled=not (slug and user)):
    from routes.store import ConflictError

    try:
        info = acts.save_race_plan(
            slug,
            plan.to_dict(),
            expected_version=st.session_state.get("race_version") if slug in saved else None,
        )
        st.session_state["race_version"] = info.version
        st.success(t("race.page.saved", lang, version=info.version))
    except ConflictError:
        st.error(t("race.page.conflict", lang))
    except GuideError as exc:
        st.error(exc.message(lang))

# ---------------------------------------------------------------- publish: the public race page and closure notice
publish_panel(store, acts, slug, lang)
