"""The race planner's closure-notice fields and publish panel (issue 25) under Streamlit's AppTest: road names go
into the saved plan (a bad line is refused with one message), organisers publish and unpublish, editors may not."""

from __future__ import annotations

from tests.app.test_race_page import _signed_in, page  # noqa: F401 - the planner fixture and its sign-in


def _save(at, slug: str) -> None:
    at.text_input(key="race_slug").input(slug)
    at.run()
    at.button(key="race_save").click()
    at.run()
    assert not at.exception, at.exception


def test_organiser_names_roads_saves_and_publishes(page, tmp_path):  # noqa: F811 - the fixture imported above
    store = _signed_in(page, tmp_path, "olga", "organiser")
    at = page.run()
    at.text_area(key="race_roads").input("0 环湖路 | Lakeside Road\n7.5km 南穴路")
    at.run()
    assert [e.value for e in at.error] == ["道路名称第 2 行无法识别：7.5km 南穴路"]
    at.text_area(key="race_roads").input("0 环湖路 | Lakeside Road\n7.5 南穴路")
    at.text_input(key="race_organiser").input("两湖体育协会")
    at.text_input(key="race_contact").input("0571-12345678")
    at.run()
    assert not at.error
    assert not any(b.key == "race_publish" for b in at.button)  # nothing to publish before the plan is saved
    _save(at, "spring-gp")
    saved = store.get_race_plan("spring-gp")
    assert saved.plan["roads"] == [{"from_m": 0.0, "name": "环湖路", "name_en": "Lakeside Road"},
                                   {"from_m": 7500.0, "name": "南穴路", "name_en": ""}]
    assert saved.plan["organiser"] == "两湖体育协会" and not saved.published
    assert any("未发布" in i.value for i in at.info)
    links = {b.proto.label: b.proto.url for b in at.get("link_button")}
    assert links["打印版通告（A3）"] == "/r/race/spring-gp/closures.pdf?size=A3&lang=zh"
    assert links["管制表格（CSV，交警用）"] == "/r/race/spring-gp/closures.csv"
    assert links["打开赛事页面"] == "/r/race/spring-gp"
    at.button(key="race_publish").click()
    at.run()
    assert not at.exception, at.exception
    assert store.get_race_plan("spring-gp").published
    assert any("已发布" in s.value for s in at.success) and at.button(key="race_publish").label == "撤回发布"
    at.button(key="race_publish").click()
    at.run()
    assert not store.get_race_plan("spring-gp").published
    assert [e.action for e in store.audit_log(target="race_plan:spring-gp")][:2] == [
        "race_plan.unpublish", "race_plan.publish"]


def test_an_editor_may_save_but_not_publish(page, tmp_path):  # noqa: F811
    store = _signed_in(page, tmp_path, "alice", "editor")
    at = page.run()
    _save(at, "spring-gp")
    assert at.button(key="race_publish").disabled
    assert any("只有组织者或管理员可以发布赛事页面" in c.value for c in at.caption)
    assert not store.get_race_plan("spring-gp").published
