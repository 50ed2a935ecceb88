"""Browser journey (issue #23): an editor drags across the elevation profile in the route's facts tab, the km of the
stretch fill in, the stretch is added as a warning and saved; the route's facts then hold it. Checked in real
Chromium because a plotly box selection only exists in a browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from harness import open_context, start_server, stop_server, wait_for_app, wait_text

from routes.store import open_store

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
ACCOUNT = "facts-editor"
#: Screenshots for a person to look at, outside the repository (set GUIDE_E2E_SHOTS to keep them).
SHOTS = os.environ.get("GUIDE_E2E_SHOTS", "")


@pytest.fixture(scope="module")
def server(chromium, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("facts-e2e")
    guide = start_server(tmp)
    store = open_store(f"sqlite:///{tmp / 'guide.db'}")
    store.add_user(ACCOUNT, PASSWORD, "editor")
    yield guide.url, store
    stop_server(guide)


def _shot(page, name: str, element=None) -> None:
    if SHOTS:
        if element is not None:
            element.scroll_into_view_if_needed()
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def _km_input(page, label: str):
    return page.locator('[data-testid="stNumberInput"]').filter(has_text=label).locator("input")


def test_a_stretch_dragged_on_the_profile_is_added_and_saved(server, chromium):
    url, store = server
    before = store.get_route("tianxiang")
    length_km = store.route_length_km("tianxiang")
    ctx, _traffic = open_context(chromium, {"width": 1280, "height": 1000})
    page = ctx.new_page()
    try:
        page.goto(f"{url}/editor?lang=en")
        wait_for_app(page)
        page.get_by_role("textbox", name="User name", exact=True).fill(ACCOUNT)
        page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        wait_for_app(page)
        page.get_by_role("heading", name="Editor desk").wait_for()
        page.goto(f"{url}/editor_routes?lang=en&slug=tianxiang")
        wait_for_app(page)
        _shot(page, "facts-open")
        page.locator('[data-testid="stMain"]').get_by_role("tab", name="Getting there and road").click()
        wait_for_app(page)
        chart = page.locator('[data-testid="stPlotlyChart"]').filter(has=page.locator(".js-plotly-plot")).last
        chart.scroll_into_view_if_needed()
        plot = chart.locator(".nsewdrag").first  # plotly's drag layer over the plotting area
        plot.wait_for()
        box = plot.bounding_box()
        # Drag from 40 % to 60 % of the route's length, in the middle of the plot's height.
        y = box["y"] + box["height"] / 2
        x0, x1 = box["x"] + box["width"] * 0.4, box["x"] + box["width"] * 0.6
        page.mouse.move(x0, y)
        page.mouse.down()
        page.mouse.move((x0 + x1) / 2, y, steps=5)
        page.mouse.move(x1, y, steps=5)
        page.mouse.up()
        wait_text(page, "Picked km")
        wait_for_app(page)
        from_km = float(_km_input(page, "From (km)").input_value())
        to_km = float(_km_input(page, "To (km)").input_value())
        assert from_km == pytest.approx(0.4 * length_km, abs=0.3)
        assert to_km == pytest.approx(0.6 * length_km, abs=0.3)
        _shot(page, "facts-picked")
        main = page.locator('[data-testid="stMain"]')
        for name, text in (("Warning text (Chinese)", "测试提醒"), ("Warning text (English)", "Test warning")):
            main.get_by_role("textbox", name=name).fill(text)
            main.get_by_role("textbox", name=name).press("Enter")  # a text input commits on Enter (or on leaving)
            wait_for_app(page)
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Warning").first.click()
        page.get_by_role("option", name="Slippery").click()
        wait_for_app(page)
        main.get_by_role("button", name="Add to the table").click()
        wait_for_app(page)
        _shot(page, "facts-added", main.get_by_role("button", name="Save getting there and road"))
        main.get_by_role("button", name="Save getting there and road").click()
        wait_text(page, "Getting there and road saved.")
        _shot(page, "facts-saved")
    finally:
        ctx.close()
    after = store.get_route("tianxiang")
    assert after.version == before.version + 1 and after.updated_by == ACCOUNT
    [added] = [w for w in after.facts.warnings if w.warning.kind == "slippery"]
    assert (added.from_km, added.to_km) == (round(from_km, 3), round(to_km, 3))
    assert added.warning.text.en == "Test warning"
    assert after.facts.surfaces == before.facts.surfaces
