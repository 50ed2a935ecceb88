"""Generate the illustrative seed content: three route GPX files, routes.json and pois.geojson (deterministic).

Run `python data/seed/make_seed.py [OUT_DIR]` (default: this folder); the outputs are committed and must not change
between runs. Nothing here is surveyed: positions are approximate, drawn from public descriptions of the area, elevations
are synthetic. Geometry is built in a local metric frame (x east, y north, metres from 29.99 N 120.85 E) from
control points through a centripetal Catmull-Rom spline, so the lines curve like roads and climbs zig-zag.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from routes.core.model import Track  # noqa: E402
from routes.io.gpxio import write_gpx  # noqa: E402

OUT = Path(__file__).resolve().parent
ORIGIN_LAT, ORIGIN_LON = 29.99, 120.85
# WGS-84 radii of curvature at the origin: accurate to centimetres over these few kilometres.
_A, _E2 = 6_378_137.0, 0.00669437999014
_PHI = math.radians(ORIGIN_LAT)
M_PER_DEG_LAT = math.radians(1) * _A * (1 - _E2) / (1 - _E2 * math.sin(_PHI) ** 2) ** 1.5
M_PER_DEG_LON = math.radians(1) * _A * math.cos(_PHI) / math.sqrt(1 - _E2 * math.sin(_PHI) ** 2)

#: Mean spacing of track points; it varies ±7 m along the line like a recorded or drawn track.
POINT_SPACING_M = 18.0
#: Elevation profiles are piecewise linear between anchors, then smoothed with this Gaussian (metres of distance).
ELE_SMOOTH_SIGMA_M = 110.0
SPLINE_SAMPLES = 60

ILLUSTRATIVE_NOTE_ZH = "示意数据：位置为根据公开资料估计的近似位置，海拔为合成数据，并非实测轨迹。"
ILLUSTRATIVE_NOTE_EN = (
    "Illustrative data: approximate positions drawn from public descriptions, synthetic elevation; not a surveyed track."
)


def to_latlon(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return ORIGIN_LAT + np.asarray(y) / M_PER_DEG_LAT, ORIGIN_LON + np.asarray(x) / M_PER_DEG_LON


def catmull_rom(points: np.ndarray, *, closed: bool) -> tuple[np.ndarray, np.ndarray]:
    """Dense centripetal Catmull-Rom curve through the points; also the sample index of each control point."""
    p = np.asarray(points, dtype=float)
    if closed:
        ext = np.vstack([p[-2], p, p[1]])  # p[-1] == p[0]
    else:
        ext = np.vstack([2 * p[0] - p[1], p, 2 * p[-1] - p[-2]])
    out, idx = [], []
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        t0 = 0.0
        t1 = t0 + max(np.linalg.norm(p1 - p0), 1e-6) ** 0.5
        t2 = t1 + max(np.linalg.norm(p2 - p1), 1e-6) ** 0.5
        t3 = t2 + max(np.linalg.norm(p3 - p2), 1e-6) ** 0.5
        t = np.linspace(t1, t2, SPLINE_SAMPLES, endpoint=False)[:, None]
        a1 = (t1 - t) / (t1 - t0) * p0 + (t - t0) / (t1 - t0) * p1
        a2 = (t2 - t) / (t2 - t1) * p1 + (t - t1) / (t2 - t1) * p2
        a3 = (t3 - t) / (t3 - t2) * p2 + (t - t2) / (t3 - t2) * p3
        b1 = (t2 - t) / (t2 - t0) * a1 + (t - t0) / (t2 - t0) * a2
        b2 = (t3 - t) / (t3 - t1) * a2 + (t - t1) / (t3 - t1) * a3
        idx.append(len(out) * SPLINE_SAMPLES)
        out.append((t2 - t) / (t2 - t1) * b1 + (t - t1) / (t2 - t1) * b2)
    idx.append(len(out) * SPLINE_SAMPLES)
    dense = np.vstack(out + [p[-1:]])
    return dense, np.asarray(idx)


def switchbacks(start: tuple[float, float], end: tuple[float, float], legs: int, width_m: float) -> list:
    """Control points of a road zig-zagging up a slope from start to end (hairpins at the sides)."""
    s, e = np.asarray(start, float), np.asarray(end, float)
    axis = e - s
    fwd = axis / np.linalg.norm(axis)
    perp = np.array([-fwd[1], fwd[0]])
    pts = []
    for i in range(1, legs):
        base = s + axis * i / legs
        side = width_m if i % 2 else -width_m
        # two points per hairpin, a little apart along the slope, give a rounded turn rather than a cusp
        pts.append(tuple(base - fwd * 18 + perp * side))
        pts.append(tuple(base + fwd * 18 + perp * side))
    return pts


def build(ctrl: list[tuple], *, closed: bool = False) -> dict:
    """Points every ~18 m along the curve through the control points, with elevations from their anchors."""
    xy = np.array([(c[0], c[1]) for c in ctrl], dtype=float)
    dense, ctrl_idx = catmull_rom(xy, closed=closed)
    steps = np.hypot(*np.diff(dense, axis=0).T)
    cum = np.concatenate([[0.0], np.cumsum(steps)])
    total = cum[-1]
    # varying spacing, deterministic
    targets, d, i = [0.0], 0.0, 0
    while True:
        d += POINT_SPACING_M + 7.0 * math.sin(i * 0.73) * math.cos(i * 0.19)
        i += 1
        if d >= total - 3:
            break
        targets.append(d)
    targets.append(total)
    targets = np.asarray(targets)
    x = np.interp(targets, cum, dense[:, 0])
    y = np.interp(targets, cum, dense[:, 1])
    # elevation anchors at the control points that carry one
    anchor_d = [cum[min(ctrl_idx[k], len(cum) - 1)] for k, c in enumerate(ctrl) if len(c) > 2 and c[2] is not None]
    anchor_e = [c[2] for c in ctrl if len(c) > 2 and c[2] is not None]
    grid = np.arange(0.0, total + 5.0, 5.0)
    ele_grid = np.interp(grid, anchor_d, anchor_e)
    k = np.arange(-4 * ELE_SMOOTH_SIGMA_M, 4 * ELE_SMOOTH_SIGMA_M + 5.0, 5.0)
    kernel = np.exp(-0.5 * (k / ELE_SMOOTH_SIGMA_M) ** 2)
    kernel /= kernel.sum()
    pad = len(k) // 2
    padded = np.concatenate([np.full(pad, ele_grid[0]), ele_grid, np.full(pad, ele_grid[-1])])
    smooth = np.convolve(padded, kernel, mode="valid")
    ele = np.interp(targets, grid, smooth)
    ele += 0.8 * np.sin(targets / 173.0) + 0.5 * np.sin(targets / 61.0 + 1.0)  # small road undulations
    lat, lon = to_latlon(x, y)
    return {"x": x, "y": y, "lat": np.round(lat, 7), "lon": np.round(lon, 7), "ele": np.round(ele, 1),
            "length_m": float(np.sum(np.hypot(np.diff(x), np.diff(y))))}


def river_x(y: float) -> float:
    """Centre line of the Cao'e river in the local frame (it flows north along the east of the area)."""
    return 3300 + 300 * math.sin(y / 1500) + 120 * math.sin(y / 530 + 1)


# ----------------------------------------------------------------------------------------------- places (local m)
SCHOOL = (-1200.0, -2600.0)  # former Jiangshan primary school, Nanxue village
TEA = (-2650.0, -3350.0)  # tea-garden terraces
VIEW = (-3350.0, -2550.0)  # viewpoint over Dongjiang Lake
LAKE = (-3950.0, -1650.0)  # Dongjiang Lake (centre)
BAMBOO = (-2500.0, 200.0)  # bamboo-grove homes by the stream
LOOP_START = (3300 + 300 * math.sin(-1450 / 1500) + 120 * math.sin(-1450 / 530 + 1) - 110.0, -1450.0)  # on the river road
WUHUASHAN = (-2700.0, 1150.0)
PASS = (-3450.0, 2350.0)  # top of the Wuhuashan climb
GULIQIANG = (-1750.0, 150.0)
XINHUAPU = (-950.0, 2850.0)
PANJIADOU = (2050.0, 2150.0)
HOSPITAL = (2200.0, 5200.0)  # Shangyu District People's Hospital, in the town north of the lakes (approximate)
RAPESEED = (800.0, 2450.0)


def tianxiang() -> dict:
    lake_rx, lake_ry = 760.0, 600.0
    # clockwise round the south, west and north shores, leaving towards the stream valley in the north-east
    lake_loop = [
        (LAKE[0] + lake_rx * math.cos(a), LAKE[1] + lake_ry * math.sin(a), 146.0 + 4 * math.sin(3 * a))
        for a in np.radians([-60, -100, -140, -180, -220, -260, -300])
    ]
    ctrl = [
        (*SCHOOL, 34.0),
        (-850.0, -2480.0, None), (-450.0, -2550.0, 36.0),  # lanes through Nanxue village
        (-500.0, -2900.0, None), (-780.0, -3150.0, 40.0), (-1150.0, -3220.0, 45.0),
        *[(px, py, None) for px, py in switchbacks((-1400.0, -3250.0), (-2400.0, -3450.0), 7, 210.0)],
        (*TEA, 185.0),
        (-2950.0, -3520.0, 192.0), (-3250.0, -3300.0, 200.0),  # contour road above the terraces
        (-3300.0, -2900.0, None),
        (*VIEW, 212.0),
        *[(px, py, None) for px, py in switchbacks((-3400.0, -2450.0), (-3500.0, -2150.0), 3, 110.0)],
        *lake_loop,
        (-3200.0, -1000.0, 128.0),
        (-3050.0, -600.0, 104.0),  # down the stream valley
        (-2850.0, -250.0, 75.0),
        (-2750.0, 50.0, 66.0),
        (*BAMBOO, 58.0),
        (-2300.0, 350.0, 55.0),
        (-2150.0, 520.0, 53.0),
    ]
    return build(ctrl)


def caoe_riverside() -> dict:
    ys = np.linspace(-4200.0, 3300.0, 44)
    ctrl = [(river_x(y) - 110.0, y, 7.0 + 1.5 * math.sin(y / 900.0)) for y in ys]
    return build(ctrl)


def lianghu_loop() -> dict:
    river = [(river_x(y) - 110.0, y, 7.0) for y in np.linspace(-1450.0, -3700.0, 8)]
    river_back = [(river_x(y) - 110.0, y, 7.0) for y in np.linspace(1700.0, -1100.0, 8)]
    ctrl = [
        (*LOOP_START, 8.0), *river[1:],
        (2300.0, -3900.0, 9.0), (900.0, -3700.0, 14.0), (-300.0, -3300.0, 22.0),
        (-900.0, -2850.0, 30.0), (*SCHOOL, 34.0),
        (-1500.0, -2100.0, 36.0), (-1600.0, -1200.0, 30.0), (*GULIQIANG, 24.0),
        (-2200.0, 700.0, 20.0), (*WUHUASHAN, 22.0),
        (-2850.0, 1400.0, 30.0),
        *[(px, py, None) for px, py in switchbacks((-2900.0, 1500.0), (-3350.0, 2200.0), 6, 130.0)],
        (*PASS, 172.0),
        (-3150.0, 2650.0, 140.0), (-2700.0, 2850.0, 95.0), (-2100.0, 3000.0, 45.0),
        (-1500.0, 2950.0, 16.0), (*XINHUAPU, 10.0),
        (-200.0, 2650.0, 9.0), (*RAPESEED, 8.0), (1500.0, 2300.0, 8.0), (*PANJIADOU, 8.0),
        *river_back, (*LOOP_START, 8.0),
    ]
    return build(ctrl, closed=True)


ROUTES = {
    "tianxiang": {
        "fields": {
            "name_zh": "天香骑行线",
            "name_en": "Tianxiang Cycling Line",
            "desc_zh": "从南穴村原江山小学出发，沿红色骑行道一路爬升，穿过层层叠叠的茶园梯田；在观景台俯瞰东江湖，"
                       "绕湖骑行一圈后顺着山溪下行，终点是溪边的竹林人家。前半程以爬坡为主，建议量力而行、备足饮水。",
            "desc_en": "Starts at the former Jiangshan primary school in Nanxue village and climbs along the red cycle "
                       "path through terraced tea gardens to a viewpoint over Dongjiang Lake, circles the lake, then "
                       "follows a stream down to bamboo-grove homes. The first half is mostly uphill: pace yourself "
                       "and carry water.",
            "difficulty": "moderate",
            "surface": "cycle_path",
            "tags": ["tea", "lake", "hills", "villages"],
            "season": "春季新茶时节与秋季最佳 / best in spring (new tea) and autumn",
            "status": "published",
            "sort_order": 0,  # catalogue order: the flagship line first
            "illustrative": True,
        },
        "make": tianxiang,
    },
    "caoe-riverside": {
        "fields": {
            "name_zh": "曹娥江畔绿道",
            "name_en": "Cao'e Riverside Greenway",
            "desc_zh": "沿曹娥江西岸的平坦绿道，一路江风拂面，经过潘家斗村文化礼堂，春天可以看到成片的油菜花田。"
                       "几乎没有坡度，适合亲子骑行和休闲骑行。",
            "desc_en": "A flat greenway along the west bank of the Cao'e river, past the Panjiadou village cultural "
                       "hall and, in spring, fields of yellow rapeseed. Almost no climbing: good for families and an "
                       "easy ride.",
            "difficulty": "easy",
            "surface": "cycle_path",
            "tags": ["river", "flat", "family"],
            "season": "四季皆宜，三月油菜花开 / all year; rapeseed in flower in March",
            "status": "published",
            "sort_order": 10,
            "illustrative": True,
        },
        "make": caoe_riverside,
    },
    "lianghu-loop": {
        "fields": {
            "name_zh": "两湖环线",
            "name_en": "Lianghu Loop",
            "desc_zh": "从江边出发的公路环线：先沿曹娥江南下，经南穴村、古里墙村到五华山脚，连续弯道爬上五华山垭口，"
                       "下坡后穿过新华浦村和油菜花田，沿江返回起点。路面良好，适合公路车训练和组织骑行赛事。",
            "desc_en": "A road loop from the riverside: south along the Cao'e river, through Nanxue and Guliqiang to "
                       "the foot of Wuhuashan, up the hairpins to the Wuhuashan pass, down through Xinhuapu village "
                       "and the rapeseed fields, and back along the river. Good roads; suits training rides and road "
                       "races.",
            "difficulty": "hard",
            "surface": "paved",
            "tags": ["road", "climb", "race"],
            "season": "春秋两季 / spring and autumn",
            "status": "published",
            "sort_order": 20,
            "illustrative": True,
        },
        "make": lianghu_loop,
    },
}


def poi_near(route: dict, place: tuple[float, float], side_m: float) -> tuple[float, float]:
    """A position beside the route: its point nearest to ``place``, moved ``side_m`` to the right of travel."""
    x, y = route["x"], route["y"]
    i = int(np.argmin(np.hypot(x - place[0], y - place[1])))
    j0, j1 = max(i - 2, 0), min(i + 2, len(x) - 1)
    dx, dy = x[j1] - x[j0], y[j1] - y[j0]
    norm = math.hypot(dx, dy) or 1.0
    px, py = x[i] + dy / norm * side_m, y[i] - dx / norm * side_m
    lat, lon = to_latlon(np.array([px]), np.array([py]))
    return round(float(lat[0]), 6), round(float(lon[0]), 6)


#: Illustrative extents (marked illustrative like every seed record): the lake's shore lies inside the road that
#: circles it, 12 % of the way in from the road ellipse (so 70–90 m from the road on the west shore, open to the
#: east where the dam would be); the tea terraces cover the slope the switchbacks climb; villages get a radius.
LAKE_SHORE_SCALE = 0.88
LAKE_SHORE_POINTS = 48
VILLAGE_RADIUS_M = {"seed-nanxue-village": 300.0, "seed-wuhuashan-village": 250.0, "seed-guliqiang-village": 250.0,
                    "seed-xinhuapu-village": 300.0, "seed-bamboo-homes": 150.0}


def polygon_lonlat(xy: list[tuple[float, float]]) -> dict:
    """A closed GeoJSON Polygon from local metres."""
    x = np.array([p[0] for p in xy] + [xy[0][0]])
    y = np.array([p[1] for p in xy] + [xy[0][1]])
    lat, lon = to_latlon(x, y)
    return {"type": "Polygon", "coordinates": [[[round(float(a), 7), round(float(b), 7)] for a, b in zip(lon, lat,
                                                                                                        strict=True)]]}


def lake_outline() -> dict:
    """Dongjiang Lake: an irregular oval inside the lakeside road (whose ellipse is 760 × 600 m round LAKE)."""
    pts = []
    for a in np.linspace(0, 2 * np.pi, LAKE_SHORE_POINTS, endpoint=False):
        wobble = 1.0 + 0.04 * math.sin(3 * a + 0.7) + 0.025 * math.cos(5 * a)
        r = LAKE_SHORE_SCALE * wobble
        pts.append((LAKE[0] + 760.0 * r * math.cos(a), LAKE[1] + 600.0 * r * math.sin(a)))
    return polygon_lonlat(pts)


def tea_outline() -> dict:
    """The tea-garden terraces: the hillside the switchbacks climb, from their foot to the contour road."""
    return polygon_lonlat([(-1350.0, -3050.0), (-1900.0, -3080.0), (-2500.0, -3150.0), (-2950.0, -3300.0),
                           (-3050.0, -3600.0), (-2500.0, -3700.0), (-1800.0, -3620.0), (-1300.0, -3450.0)])


def pois(tracks: dict[str, dict]) -> list[dict]:
    tx, cr, lp = tracks["tianxiang"], tracks["caoe-riverside"], tracks["lianghu-loop"]
    lake_lat, lake_lon = to_latlon(np.array([LAKE[0]]), np.array([LAKE[1]]))
    P = []

    def add(pid, category, pos, name_zh, name_en, desc_zh, desc_en, hours=""):
        # Opening hours in each language ("约 08:00–18:00" / "about 08:00–18:00"): an English page never shows Chinese.
        hours_en = hours.replace("约 ", "about ")
        P.append({"id": pid, "category": category, "lat": pos[0], "lon": pos[1], "name_zh": name_zh,
                  "name_en": name_en, "desc_zh": desc_zh, "desc_en": desc_en, "hours": hours, "hours_en": hours_en})

    add("seed-jiangshan-school", "start_finish", poi_near(tx, SCHOOL, 25), "原江山小学（天香骑行线起点）",
        "Former Jiangshan Primary School (start of the Tianxiang line)",
        "天香骑行线从这里出发。老校舍保留着上世纪的砖墙和操场，门前有集合的空地。",
        "The Tianxiang line starts here. The old school keeps its brick walls and playground; there is room to "
        "gather in front.")
    add("seed-nanxue-village", "village", poi_near(tx, (-900.0, -2900.0), 60), "南穴村", "Nanxue village",
        "依山而建的小村，村道窄而弯，穿村时请减速礼让村民。",
        "A small village on the hillside. Its lanes are narrow and winding: slow down and give way to residents.")
    add("seed-nanxue-water", "water", poi_near(tx, (-950.0, -2750.0), -20), "南穴村小卖部（补水点）",
        "Nanxue village shop (water refill)", "村口小卖部，可购买饮用水和简单补给。",
        "Village shop at the entrance: bottled water and simple snacks.", "约 07:30–19:00")
    add("seed-school-parking", "parking", poi_near(tx, SCHOOL, -45), "江山小学旧址停车场",
        "Parking at the former Jiangshan school", "起点旁的停车场，可停放小汽车和自行车。",
        "Car park next to the start, for cars and bicycles.")
    add("seed-tea-terraces", "tea_garden", poi_near(tx, TEA, 50), "天香茶园梯田", "Tianxiang tea-garden terraces",
        "成片的茶园沿山坡层层展开，春季采茶时节最为热闹。请勿进入茶园采摘。",
        "Terraced tea gardens climbing the slopes, busiest in the spring picking season. Please keep out of the "
        "rows and do not pick.")
    add("seed-tea-guesthouse", "accommodation", poi_near(tx, (-2950.0, -3150.0), 70), "茶园民宿",
        "Tea-garden guesthouse", "坐落在茶园之间的农家民宿，可提前预订住宿和茶饭。",
        "A farm guesthouse among the tea gardens; book ahead for a room or a meal.")
    add("seed-dongjiang-view", "viewpoint", poi_near(tx, VIEW, 30), "东江湖观景台", "Dongjiang Lake viewpoint",
        "全线最高处附近的观景平台，可以俯瞰整个东江湖和周围的山谷。",
        "A viewing platform near the highest point of the line, looking out over Dongjiang Lake and the valleys "
        "around it.")
    add("seed-dongjiang-lake", "lake", (round(float(lake_lat[0]), 6), round(float(lake_lon[0]), 6)), "东江湖",
        "Dongjiang Lake", "群山环抱的水库湖面，环湖道路平缓，风景宜人。",
        "A reservoir lake ringed by hills; the lakeside road is gentle and scenic.")
    add("seed-lake-toilet", "toilet", poi_near(tx, (LAKE[0] + 600, LAKE[1] - 300), -30), "东江湖公共厕所",
        "Dongjiang Lake public toilet", "环湖路旁的公共厕所。", "Public toilet beside the lakeside road.")
    add("seed-lake-water", "water", poi_near(tx, (LAKE[0] + 500, LAKE[1] + 350), 25), "东江湖补水点",
        "Dongjiang Lake water refill", "湖边小亭，可以补充饮用水。", "A small kiosk by the lake where you can refill water.",
        "约 08:00–17:30")
    add("seed-bamboo-homes", "village", poi_near(tx, BAMBOO, 35), "溪边竹林人家（天香骑行线终点）",
        "Bamboo-grove homes by the stream (end of the Tianxiang line)",
        "山溪旁掩映在竹林中的农家，是天香骑行线的终点，可以在溪边歇脚。",
        "Farmhouses among bamboo beside a stream: the end of the Tianxiang line, with a place to rest by the water.")
    add("seed-bamboo-food", "food", poi_near(tx, (-2300.0, 350.0), 40), "竹林农家菜", "Bamboo-grove farm kitchen",
        "农家小馆，主打笋干、土鸡等家常菜。", "A farmhouse kitchen serving home cooking such as dried bamboo shoots and "
        "free-range chicken.", "约 10:30–20:00")
    add("seed-caoe-greenway-start", "start_finish", poi_near(cr, (river_x(-4200.0) - 110, -4200.0), 30),
        "曹娥江畔绿道起点", "Start of the Cao'e riverside greenway", "绿道南端入口，有指示牌和休息座椅。",
        "Southern entrance of the greenway, with a sign board and benches.")
    add("seed-caoe-view", "viewpoint", poi_near(cr, (river_x(-800.0) - 110, -800.0), -40), "曹娥江观景平台",
        "Cao'e river viewing platform", "伸向江面的亲水平台，江面开阔，傍晚景色最好。",
        "A platform reaching out over the river; wide views, best in the evening light.")
    add("seed-caoe-toilet", "toilet", poi_near(cr, (river_x(200.0) - 110, 200.0), 30), "曹娥江绿道公共厕所",
        "Cao'e greenway public toilet", "绿道旁的公共厕所。", "Public toilet beside the greenway.")
    add("seed-caoe-parking", "parking", poi_near(cr, (river_x(-3950.0) - 110, -3950.0), 60), "曹娥江绿道停车场",
        "Cao'e greenway car park", "绿道南端停车场。", "Car park at the southern end of the greenway.")
    add("seed-panjiadou-hall", "culture", poi_near(cr, PANJIADOU, 70), "潘家斗村文化礼堂",
        "Panjiadou village cultural hall", "村里的文化礼堂，常有展览和乡村活动，门前广场可以休息。",
        "The village cultural hall, often with exhibitions and village events; the square in front is a good "
        "place to rest.", "约 08:30–17:00")
    add("seed-rapeseed-fields", "viewpoint", poi_near(lp, RAPESEED, 40), "油菜花田", "Rapeseed fields",
        "每年三月前后油菜花盛开，一片金黄。请沿田埂观赏，不要踩踏庄稼。",
        "Around March the rapeseed flowers turn the fields gold. Keep to the field edges and do not trample the "
        "crop.")
    add("seed-wuhuashan-village", "village", poi_near(lp, WUHUASHAN, 40), "五华山村", "Wuhuashan village",
        "五华山脚下的村庄，是爬坡前最后的补给点。", "The village at the foot of Wuhuashan; the last place to stock up "
        "before the climb.")
    add("seed-wuhuashan-pass", "viewpoint", poi_near(lp, PASS, 25), "五华山垭口", "Wuhuashan pass",
        "连续弯道爬坡的顶点，视野开阔，可以回望来路。", "Top of the hairpin climb, with open views back down the road.")
    add("seed-wuhuashan-descent", "hazard", poi_near(lp, (-2700.0, 2850.0), 20), "五华山下坡急弯",
        "Sharp bends on the Wuhuashan descent", "下坡路段弯急坡陡，请提前减速，注意对向来车。",
        "Steep descent with tight bends: brake early and watch for oncoming traffic.")
    add("seed-guliqiang-village", "village", poi_near(lp, GULIQIANG, 45), "古里墙村", "Guliqiang village",
        "沿途经过的村庄，村中有老台门和石板路。", "A village on the way, with old gatehouses and stone-paved lanes.")
    add("seed-xinhuapu-village", "village", poi_near(lp, XINHUAPU, 45), "新华浦村", "Xinhuapu village",
        "山脚平原上的村庄，河网纵横。", "A village on the plain below the hills, criss-crossed by waterways.")
    add("seed-xinhuapu-noodles", "food", poi_near(lp, (-200.0, 2650.0), -30), "新华浦面馆",
        "Xinhuapu noodle shop", "路边面馆，骑友常在这里吃一碗面再出发。",
        "A roadside noodle shop where riders stop for a bowl before moving on.", "约 06:30–14:00")
    add("seed-lianghu-start", "start_finish", poi_near(lp, LOOP_START, 30), "两湖环线起终点",
        "Lianghu loop start and finish", "环线的起点和终点，位于江边，旁边有停车位。",
        "Start and finish of the loop, by the river, with parking next to it.")
    add("seed-lianghu-repair", "repair", poi_near(lp, (river_x(-1100.0) - 110, -1100.0), -50), "两湖单车维修点",
        "Lianghu bike repair", "可以打气、补胎和简单维修。", "Pumps, puncture repair and simple fixes.",
        "约 08:00–18:00")
    # Medical care for race plans (routes.race.medical): approximate positions, illustrative like every seed record;
    # the real addresses and emergency numbers must be checked with the health services before a race.
    hosp_lat, hosp_lon = to_latlon(np.array([HOSPITAL[0]]), np.array([HOSPITAL[1]]))
    add("seed-shangyu-hospital", "hospital", (round(float(hosp_lat[0]), 6), round(float(hosp_lon[0]), 6)),
        "上虞区人民医院", "Shangyu District People's Hospital",
        "区级综合医院，设 24 小时急诊，在两湖以北的城区（示意位置，请以实际地址为准）。",
        "The district's general hospital with a 24-hour emergency department, in the town north of Lianghu "
        "(approximate position; check the real address).")
    add("seed-lianghu-clinic", "clinic", poi_near(lp, GULIQIANG, 350), "两湖街道社区卫生服务中心",
        "Lianghu Subdistrict Community Health Service Centre",
        "社区卫生服务中心，可处理擦伤等轻伤，重伤需转送医院（示意位置）。",
        "Community health centre: grazes and minor injuries; serious injuries go on to hospital (approximate "
        "position).", "约 08:00–17:00")
    for p in P:
        p.update({"status": "published", "illustrative": True, "url": "", "phone": ""})
        if p["id"] in VILLAGE_RADIUS_M:
            p["radius_m"] = VILLAGE_RADIUS_M[p["id"]]
        elif p["id"] == "seed-dongjiang-lake":
            p["area"] = lake_outline()
        elif p["id"] == "seed-tea-terraces":
            p["area"] = tea_outline()
    return P


def main(out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tracks = {}
    routes_meta = {}
    for slug, spec in ROUTES.items():
        r = spec["make"]()
        tracks[slug] = r
        f = spec["fields"]
        n = len(r["lat"])
        track = Track(
            lat=r["lat"], lon=r["lon"], ele_m=r["ele"], time_s=np.full(n, np.nan), segment_starts=np.array([0]),
            name=f"{f['name_zh']} {f['name_en']}", desc=f"{ILLUSTRATIVE_NOTE_ZH} {ILLUSTRATIVE_NOTE_EN}",
            source="trk",
        )
        (out / f"{slug}.gpx").write_bytes(write_gpx(track))
        routes_meta[slug] = {"file": f"{slug}.gpx", "fields": f}
        print(f"{slug}: {n} points, {r['length_m'] / 1000:.2f} km, ele {r['ele'].min():.0f}–{r['ele'].max():.0f} m")
    (out / "routes.json").write_text(json.dumps(
        {"note_zh": ILLUSTRATIVE_NOTE_ZH, "note_en": ILLUSTRATIVE_NOTE_EN, "routes": routes_meta},
        ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    # A place with an outline is a Polygon feature whose lat/lon properties keep its marker (as the guide exports).
    features = [
        {"type": "Feature", "id": p["id"], "geometry": p["area"],
         "properties": {k: v for k, v in p.items() if k != "area"}} if "area" in p else
        {"type": "Feature", "id": p["id"], "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
         "properties": {k: v for k, v in p.items() if k not in ("lat", "lon")}}
        for p in pois(tracks)
    ]
    (out / "pois.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "name": "tianxiang-seed-pois",
         "note": f"{ILLUSTRATIVE_NOTE_ZH} {ILLUSTRATIVE_NOTE_EN}", "features": features},
        ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(features)} POIs")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
