"""Stage profile labels: climbs stacked so none overlap, numbered when full labels would need too many rows."""

from __future__ import annotations

import numpy as np

from routes.race.plan import CourseClimb, CoursePoint
from routes.race.stageprofile import MAX_LABEL_ROWS, marker_numbers, stack_rows, stage_profile_figure


def _course(n_climbs: int, length_km: float, *, hilly_km: float | None = None):
    """A synthetic course with ``n_climbs`` evenly spaced 60 m bumps over its first ``hilly_km`` (all of it by
    default), flat after them, and their climbs."""
    d = np.linspace(0, length_km * 1000, 8001)
    spacing = (hilly_km or length_km) * 1000 / n_climbs
    ele = 20 + 60 * np.clip(np.sin(np.pi * (d % spacing) / spacing), 0, None)
    ele[d >= n_climbs * spacing] = 20.0
    climbs = []
    for i in range(n_climbs):
        start, end = i * spacing, i * spacing + spacing / 2
        climbs.append(CourseClimb(lap=1, start_m=start, end_m=end, length_m=end - start, gain_m=60.0,
                                  avg_grade_pct=60 / (end - start) * 100, max_grade_pct=8.0, summit_ele_m=80.0,
                                  category="4", name=f"梁湖第{i + 1}号长坡"))
    return d, ele, climbs


def _label_boxes(fig):
    fig.canvas.draw()  # the label boxes take their final size when drawn, as in the PNG
    renderer = fig.canvas.get_renderer()
    anns = [a for a in fig.axes[0].texts if a.get_gid() == "climb-label"]
    return anns, [a.get_bbox_patch().get_window_extent(renderer) for a in anns]


def _overlaps(boxes) -> list[tuple[int, int]]:
    return [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]


def test_stack_rows_puts_overlapping_intervals_on_new_rows():
    assert stack_rows([0, 5, 11, 2], [10, 12, 20, 3], gap=1) == [0, 1, 0, 1]
    assert stack_rows([0, 1, 2], [5, 6, 7]) == [0, 1, 2]
    assert stack_rows([], []) == []


def test_sixteen_climbs_on_a_long_course_are_stacked_and_never_overlap():
    d, ele, climbs = _course(16, 180)
    fig = stage_profile_figure(d, ele, climbs=climbs, lang="zh", title="十六个爬坡")
    anns, boxes = _label_boxes(fig)
    assert len(anns) == 16
    assert _overlaps(boxes) == []
    assert len({round(b.y0) for b in boxes}) <= MAX_LABEL_ROWS
    ax_top = fig.axes[0].get_window_extent(fig.canvas.get_renderer()).y1
    assert all(b.y1 <= ax_top + 1 for b in boxes)  # inside the axes: the y range grew to hold every row


def test_sixteen_close_climbs_become_numbers_that_never_overlap():
    d, ele, climbs = _course(16, 160, hilly_km=20)  # summits 1.25 km apart on a 160 km axis: too close for full labels
    fig = stage_profile_figure(d, ele, climbs=climbs, lang="en")
    anns, boxes = _label_boxes(fig)
    assert [a.get_text() for a in anns] == [str(i + 1) for i in range(16)]
    assert _overlaps(boxes) == []


def test_few_climbs_keep_their_full_labels():
    d, ele, climbs = _course(3, 60)
    fig = stage_profile_figure(d, ele, climbs=climbs, lang="zh")
    anns, boxes = _label_boxes(fig)
    assert [a.get_text().splitlines()[0] for a in anns] == [f"梁湖第{i}号长坡 4 级" for i in (1, 2, 3)]
    assert _overlaps(boxes) == []


def _point(kind: str, course_m: float, race_m: float, label: str = "") -> CoursePoint:
    return CoursePoint(kind=kind, race_m=race_m, course_m=course_m, to_go_m=0.0, lap=1, label=label)


def test_markers_keep_one_number_per_place_across_laps():
    points = [_point("start", 0, 0), _point("feed", 5000, 5000, "一号"), _point("kom", 9000, 9000),
              _point("lap", 0, 12000), _point("feed", 5000, 17000, "一号"), _point("kom", 9000, 21000),
              _point("finish", 12000, 24000)]
    assert marker_numbers(points) == [None, 1, 2, None, 1, 2, None]


def test_marker_numbers_on_the_profile_do_not_overlap():
    d, ele, climbs = _course(3, 60)
    points = [_point("feed", m, m) for m in np.arange(20, 40, 0.3) * 1000]  # 67 markers 300 m apart
    fig = stage_profile_figure(d, ele, climbs=climbs, points=points, lang="zh")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    numbers = [a for a in fig.axes[0].texts if a.get_gid() == "marker-number"]
    assert [a.get_text() for a in numbers] == [str(i + 1) for i in range(len(points))]
    assert _overlaps([a.get_window_extent(renderer) for a in numbers]) == []


def test_markers_at_the_same_spot_on_later_laps_share_a_number():
    first = CoursePoint(kind="kom", race_m=13000, course_m=13000, to_go_m=0, lap=1, lat=30.0, lon=120.85)
    again = CoursePoint(kind="kom", race_m=37000, course_m=37000, to_go_m=0, lap=2, lat=30.00001, lon=120.85)
    other = CoursePoint(kind="kom", race_m=40000, course_m=40000, to_go_m=0, lap=2, lat=30.01, lon=120.85)
    assert marker_numbers([first, again, other]) == [1, 1, 2]
