"""The interactive profile's hover texts: rounded, with units in the page's language."""

from __future__ import annotations

import numpy as np
import pytest

from routes.views.profile import ProfilePoi, build_profile_figure


@pytest.mark.parametrize(("lang", "unit"), [("zh", "第 %{x:.1f} 公里"), ("en", "at km %{x:.1f}")])
def test_hover_values_are_rounded_and_in_the_page_language(lang, unit):
    d = np.linspace(0, 5649.696, 200)
    fig = build_profile_figure(d, 50 + d / 100, np.full(200, 1.0), lang=lang, pois=[ProfilePoi(3333.3, "茶园")])
    assert fig.layout.xaxis.hoverformat == ".1f"  # the shared hover label showed "5.649696"
    poi = next(tr for tr in fig.data if tr.text is not None and "茶园" in tr.text)
    assert unit in poi.hovertemplate
    assert ("公里" in poi.hovertemplate) == (lang == "zh")
