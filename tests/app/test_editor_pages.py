"""The editors' pages under AppTest: the sign-in gate on every page, forms, field errors, conflicts, permissions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from routes.store import open_store
from routes.store.auth import SESSION_ABSOLUTE_TIMEOUT_S, sign_in

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 90
PASSWORD = "correct horse battery"
EDITOR_PAGES = ("pages/editor.py", "pages/editor_routes.py", "pages/editor_pois.py", "pages/editor_admin.py")
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('editors') / 'guide.db'}"
    store = open_store(url)
    store.add_user("alice", PASSWORD, "editor")
    store.add_user("bob", PASSWORD, "editor")
    store.add_user("root", PASSWORD, "admin")
    return url


@pytest.fixture()
def store(db_url):
    return open_store(db_url)


def _app(db_url, monkeypatch, page: str, *, lang: str = "zh", user: str | None = None, role: str = "editor"):
    monkeypatch.setenv("GUIDE_DATABASE_URL", db_url)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT_S)
    at.query_params["lang"] = lang
    if user:
        # A real session in the database, as the sign-in form makes it (the page finds it through this tab's state
        # because AppTest has no cookies); a role differing from the account's is a forged claim the gate ignores.
        sess = sign_in(open_store(db_url), user, PASSWORD)
        at.session_state["editor_session"] = replace(sess, role=role) if role != sess.role else sess
    at.run()  # the frame first: a page switch before any run is not honoured
    at.switch_page(page)
    return at.run()


def _labels(at) -> list[str]:
    return [w.label for w in at.text_input]


def _texts(at) -> str:
    parts = [e.value for e in (*at.title, *at.markdown, *at.caption, *at.error, *at.warning, *at.info, *at.success)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", EDITOR_PAGES)
def test_not_signed_in_sees_only_the_sign_in_form(db_url, monkeypatch, page):
    at = _app(db_url, monkeypatch, page)
    assert not at.exception, at.exception
    assert at.title[0].value == "编辑登录"
    assert _labels(at) == ["用户名", "密码"]
    assert not at.selectbox and not at.tabs and not at.dataframe
    assert [b.label for b in at.button] == ["登录"]  # the form's submit; no OIDC button without configuration


def test_wrong_password_and_unknown_user_get_the_same_answer(db_url, monkeypatch):
    answers = []
    for name, password in (("alice", "not the password"), ("nobody", PASSWORD)):
        at = _app(db_url, monkeypatch, "pages/editor.py")
        at.text_input[0].input(name)
        at.text_input[1].input(password)
        at.button[0].click().run()
        answers.append([e.value for e in at.error])
        assert _labels(at) == ["用户名", "密码"]
    assert answers[0] == answers[1] == ["用户名或密码不正确。"]


def _redirects(at) -> list[str]:
    """Targets of the script-driven redirects on the page (the browser follows them; AppTest only records them)."""
    import re

    return [m for h in at.get("html") for m in re.findall(r'replace\("([^"]+)"\)', h.proto.body)]


def test_sign_in_hands_over_to_the_cookie_route_then_sign_out_ends_the_session(db_url, monkeypatch, store):
    at = _app(db_url, monkeypatch, "pages/editor.py", lang="en")
    at.text_input[0].input("alice")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception, at.exception
    [target] = _redirects(at)
    assert target.startswith("/auth/session?t=") and "next=%2Feditor%3Flang%3Den" in target
    # The same script first gives this browser the sign-in's nonce cookie: the exchange works only with it.
    [script] = [h.proto.body for h in at.get("html") if "location.replace(" in h.proto.body]
    nonce = at.session_state["editor_session"].exchange_nonce
    assert f'document.cookie = "guide_signin_nonce={nonce}; Path=/auth/session;' in script
    assert script.index("document.cookie") < script.index("location.replace")
    assert "editor_signin_password" not in at.session_state  # the password does not linger in the session
    at.run()  # what the browser sees when it comes back (here: this tab's session, AppTest has no cookies)
    assert at.title[0].value == "Editor desk"
    assert "Signed in as alice \\(editor\\)" in "\n".join(c.value for c in at.sidebar.caption)  # escaped Markdown
    token = at.session_state["editor_session"].token
    next(b for b in at.button if b.label == "Sign out").click().run()
    assert _redirects(at) == ["/auth/signout?next=%2Feditor%3Flang%3Den"]
    from routes.store.auth import resolve_session

    assert resolve_session(store, token) == (None, "ended")  # ended on the server, not only in this tab
    at.run()
    assert _labels(at) == ["User name", "Password"]


def test_a_disabled_account_with_the_right_password_is_told_so(db_url, monkeypatch, store):
    store.add_user("dora", PASSWORD, "editor")
    store.set_active("dora", False)
    at = _app(db_url, monkeypatch, "pages/editor.py")
    at.text_input[0].input("dora")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["此账号已停用，请联系管理员。"]


def test_expired_session_asks_to_sign_in_again(db_url, monkeypatch):
    monkeypatch.setenv("GUIDE_DATABASE_URL", db_url)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT_S)
    then = datetime.now(UTC) - timedelta(seconds=SESSION_ABSOLUTE_TIMEOUT_S + 60)
    at.session_state["editor_session"] = sign_in(open_store(db_url), "alice", PASSWORD, now=then)
    at.run()
    at.switch_page("pages/editor_routes.py")
    at.run()
    assert "登录已过期，请重新登录。" in [w.value for w in at.warning]
    assert _labels(at) == ["用户名", "密码"]


def test_visitors_deep_link_to_the_race_planner_gets_the_sign_in_form(db_url, monkeypatch):
    at = _app(db_url, monkeypatch, "pages/race.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "编辑登录"
    assert _labels(at) == ["用户名", "密码"]


def test_an_organiser_may_save_race_plans_but_not_open_editor_pages(db_url, monkeypatch, store):
    if store.get_user("olga") is None:
        store.add_user("olga", PASSWORD, "organiser")
    at = _app(db_url, monkeypatch, "pages/race.py", user="olga", role="organiser")
    assert not at.exception, at.exception
    assert at.title[0].value == "赛事规划"
    at.text_input(key="race_slug").input("olga-plan").run()
    save = at.button(key="race_save")
    assert save.disabled is False
    save.click().run()
    assert store.get_race_plan("olga-plan").updated_by == "olga"
    at.switch_page("pages/editor_routes.py")
    at.run()
    assert [e.value for e in at.error] == ["此页面需要编辑账号。"]
    assert not at.text_input and not at.get("file_uploader")


@pytest.mark.parametrize(("user", "role", "landing"), [("olga", "organiser", "%2Frace%3Flang%3Dzh"),
                                                      ("alice", "editor", "%2Feditor%3Flang%3Dzh"),
                                                      ("root", "admin", "%2Feditor%3Flang%3Dzh")])
def test_sign_in_on_the_desk_lands_on_the_first_page_the_role_may_use(db_url, monkeypatch, store, user, role,
                                                                      landing):
    if store.get_user(user) is None:
        store.add_user(user, PASSWORD, role)
    at = _app(db_url, monkeypatch, "pages/editor.py")  # the visitors' one entry, 编辑登录
    at.text_input[0].input(user)
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    [target] = _redirects(at)
    assert target.endswith(f"next={landing}"), target
    # Where the browser comes back (AppTest follows no redirect): the page the role may use, no "not allowed".
    at.switch_page("pages/race.py" if role == "organiser" else "pages/editor.py")
    at.run()
    assert not at.exception and not at.error, at.error
    assert at.title[0].value == ("赛事规划" if role == "organiser" else "编辑工作台")


def test_landing_pages_follow_the_roles():
    import app

    spec = {p.url_path: p for p in app.PAGES}
    assert app.landing_page(spec["editor"], "organiser").url_path == "race"
    assert app.landing_page(spec["editor_admin"], "editor").url_path == "editor"
    assert app.landing_page(spec["editor_routes"], "organiser").url_path == "race"
    assert app.landing_page(spec["race"], "editor").url_path == "race"  # a page the role may use: stay there
    assert app.landing_page(spec["catalogue"], "organiser").url_path == "catalogue"


def test_a_draft_route_page_previews_for_editors_and_is_not_found_for_others(db_url, monkeypatch, store):
    from tests.routes.test_store import small_gpx

    if store.get_route("draft-preview") is None:
        store.create_route("draft-preview", gpx=small_gpx(40), filename="d.gpx", user="bob",
                           fields={"name_zh": "草稿预览路线", "name_en": "Draft preview route", "status": "draft"})
    if store.get_user("olga") is None:
        store.add_user("olga", PASSWORD, "organiser")
    for lang, title, notice in (("zh", "草稿预览路线 · 草稿", "草稿预览："), ("en", "Draft preview route · draft",
                                                                       "Draft preview:")):
        at = _app(db_url, monkeypatch, "pages/route.py", lang=lang, user="alice")
        at.query_params["id"] = "draft-preview"
        at.run()
        assert not at.exception, at.exception
        assert at.title[0].value == title
        assert any(w.value.startswith(notice) for w in at.warning)
        assert not at.error
    for user, role in ((None, "editor"), ("olga", "organiser")):
        at = _app(db_url, monkeypatch, "pages/route.py", user=user, role=role)
        at.query_params["id"] = "draft-preview"
        at.run()
        assert not at.exception, at.exception
        assert [e.value for e in at.error] == ["找不到路线“draft-preview”。"]
        assert "草稿预览路线" not in _texts(at)


def test_the_menu_hides_staff_pages_from_visitors_and_by_role():
    import app

    def visible(role):
        return {heading: [e.title for e in entries if e.visible] for heading, entries in app.menu_plan("zh", role).items()}

    assert visible(None) == {"骑行者": ["路线", "路线详情", "沿途景点"], "工作人员": ["编辑登录"], "赛事组织": []}
    assert visible("organiser")["赛事组织"] == ["赛事规划"] and visible("organiser")["编辑"] == []
    assert "账号管理" not in visible("editor")["编辑"] and "路线编辑" in visible("editor")["编辑"]
    assert "账号管理" in visible("admin")["编辑"]
    assert app.menu_plan("en", None)["Staff"][0].title == "Sign in"
    # Every page stays listed (hidden), so a deep link is never "Page not found".
    assert sum(len(entries) for entries in app.menu_plan("zh", None).values()) == len(app.PAGES)


def test_editor_cannot_open_accounts_even_with_a_forged_admin_session(db_url, monkeypatch, store):
    at = _app(db_url, monkeypatch, "pages/editor_admin.py", user="alice", role="admin")
    assert [e.value for e in at.error] == ["此操作需要管理员权限。"]
    assert not at.dataframe and not at.text_input


def test_admin_creates_an_account(db_url, monkeypatch, store):
    at = _app(db_url, monkeypatch, "pages/editor_admin.py", user="root", role="admin")
    assert not at.exception, at.exception
    at.text_input(key="admin_new_name").input("carol")
    at.text_input(key="admin_new_password").input("short")
    at.button(key="FormSubmitter:admin_add_user-创建账号").click().run()
    assert "密码至少 10 个字符" in [e.value for e in at.error]
    assert store.get_user("carol") is None
    at.text_input(key="admin_new_name").input("carol")
    at.text_input(key="admin_new_password").input(PASSWORD)
    at.button(key="FormSubmitter:admin_add_user-创建账号").click().run()
    assert store.get_user("carol").role == "editor"
    assert store.audit_log(1, target="user:carol")[0].user == "root"


def test_route_details_invalid_field_gets_its_message(db_url, monkeypatch, store):
    at = _app(db_url, monkeypatch, "pages/editor_routes.py", user="alice")
    assert not at.exception, at.exception
    at.selectbox(key="ed_route_pick").select("tianxiang").run()
    version = store.get_route("tianxiang").version
    form = f"ed_route_tianxiang_{version}"
    at.text_input(key=f"{form}_name_zh").input("")
    at.text_input(key=f"{form}_season").input("x" * 200)
    at.button(key=f"FormSubmitter:{form}-保存修改").click().run()
    errors = [e.value for e in at.error]
    assert "此项必填" in errors and "太长：最多 120 个字符" in errors
    assert "有 2 项需要修改，请看红色提示。" in errors
    assert store.get_route("tianxiang").version == version


def test_route_edit_saves_a_revision_and_can_be_undone(db_url, monkeypatch, store):
    at = _app(db_url, monkeypatch, "pages/editor_routes.py", user="alice")
    at.selectbox(key="ed_route_pick").select("caoe-riverside").run()
    before = store.get_route("caoe-riverside")
    form = f"ed_route_caoe-riverside_{before.version}"
    at.text_input(key=f"{form}_name_en").input(HOSTILE)
    at.button(key=f"FormSubmitter:{form}-保存修改").click().run()
    assert not at.exception, at.exception
    after = store.get_route("caoe-riverside")
    assert after.name_en == HOSTILE and after.updated_by == "alice"
    assert f"已保存为第 {after.version} 版。" in [s.value for s in at.success]
    # Undo from the history tab: the texts as they were before that change come back.
    at.button(key="ed_text_restore_caoe-riverside").click().run()
    assert store.get_route("caoe-riverside").name_en == before.name_en


def test_second_editor_save_is_refused_and_both_versions_kept(db_url, monkeypatch, store):
    at = _app(db_url, monkeypatch, "pages/editor_routes.py", user="alice")
    at.selectbox(key="ed_route_pick").select("lianghu-loop").run()
    loaded = store.get_route("lianghu-loop")
    # Bob saves first, in his own session.
    store.update_route("lianghu-loop", {"season": "春季"}, user="bob", expected_version=loaded.version)
    form = f"ed_route_lianghu-loop_{loaded.version}"
    at.text_input(key=f"{form}_season").input("秋季")
    at.button(key=f"FormSubmitter:{form}-保存修改").click().run()
    assert not at.exception, at.exception
    assert any("保存失败" in e.value and "bob" in e.value for e in at.error)
    assert store.get_route("lianghu-loop").season == "春季"  # Bob's version stands
    conflict = store.audit_log(1, target="route:lianghu-loop")[0]
    assert conflict.action == "conflict.rejected" and conflict.detail["attempted"]["season"] == "秋季"
    # Reload shows Bob's version in the form.
    at.button(key="ed_conflict_lianghu-loop_reload").click().run()
    current = store.get_route("lianghu-loop").version
    assert at.text_input(key=f"ed_route_lianghu-loop_{current}_season").value == "春季"


def test_publish_and_withdraw(db_url, monkeypatch, store):
    at = _app(db_url, monkeypatch, "pages/editor_routes.py", user="alice")
    at.selectbox(key="ed_route_pick").select("tianxiang").run()
    assert store.get_route("tianxiang").status == "published"
    at.button(key="ed_unpublish").click().run()
    assert store.get_route("tianxiang").status == "draft"
    version = store.get_route("tianxiang").version
    assert f"已撤回为草稿（第 {version} 版），骑行者不再看到它。" in [s.value for s in at.success]
    at.button(key="ed_publish").click().run()
    assert store.get_route("tianxiang").status == "published"


def test_new_route_needs_a_file_first(db_url, monkeypatch):
    at = _app(db_url, monkeypatch, "pages/editor_routes.py", user="alice")
    assert at.selectbox(key="ed_route_pick").value == "__new__"
    assert "第 1 步：上传轨迹文件并检查质量报告" in [s.value for s in at.subheader]
    assert not [f for f in at.text_input if f.label.startswith("网址名")]


def test_poi_created_from_the_form_keeps_hostile_text_literal(db_url, monkeypatch, store):
    at = _app(db_url, monkeypatch, "pages/editor_pois.py", user="alice")
    assert not at.exception, at.exception
    form = "ed_poi_new_none"
    at.text_input(key=f"{form}_name_zh").input(HOSTILE)
    at.text_input(key=f"{form}_name_en").input("Hostile test")
    at.number_input(key=f"{form}_lat").set_value(30.0)
    at.number_input(key=f"{form}_lon").set_value(120.85)
    at.text_input(key=f"{form}_url").input("javascript:alert(1)")
    at.button(key=f"FormSubmitter:{form}-添加兴趣点").click().run()
    assert "链接必须以 http:// 或 https:// 开头" in [e.value for e in at.error]
    at.text_input(key=f"{form}_url").input("")
    at.button(key=f"FormSubmitter:{form}-添加兴趣点").click().run()
    assert not at.exception, at.exception
    poi = next(p for p in store.list_pois() if p.name_en == "Hostile test")
    assert poi.name_zh == HOSTILE and poi.updated_by == "alice"
    # Back to an empty "new point" form: the next name typed adds a point, it never overwrites this one.
    assert at.selectbox(key="ed_poi_pick").value == "__new__"
    assert at.text_input(key="ed_poi_new_none_1_name_zh").value == ""
    # Markdown output escapes it (the flash message), never renders it as HTML.
    assert any("\\<img src=x onerror=alert\\(1\\)\\>" in s.value for s in at.success)


def test_pois_added_in_a_row_are_separate_points(db_url, monkeypatch, store):
    at = _app(db_url, monkeypatch, "pages/editor_pois.py", user="alice")
    for i, name in enumerate(("连续一", "连续二", "连续三")):
        form = "ed_poi_new_none" + (f"_{i}" if i else "")
        at.text_input(key=f"{form}_name_zh").input(name)
        at.text_input(key=f"{form}_name_en").input(f"In a row {i + 1}")
        at.number_input(key=f"{form}_lat").set_value(30.0 + i / 100)
        at.number_input(key=f"{form}_lon").set_value(120.85)
        at.button(key=f"FormSubmitter:{form}-添加兴趣点").click().run()
        assert not at.exception, at.exception
        assert at.selectbox(key="ed_poi_pick").value == "__new__"
    added = {p.name_zh: p for p in store.list_pois() if p.name_zh.startswith("连续")}
    assert sorted(added) == ["连续一", "连续三", "连续二"]
    assert all(len(store.poi_revisions(p.id)) == 1 for p in added.values())  # each created, none overwritten
    # Picking one is the explicit way to change it: the form says which, and "new point" leads back.
    first = added["连续一"]
    at.selectbox(key="ed_poi_pick").select(first.id).run()
    assert "正在编辑：连续一" in [h.value for h in at.subheader]
    at.button(key="ed_poi_to_new").click().run()
    assert at.selectbox(key="ed_poi_pick").value == "__new__"
    assert "新建兴趣点" in [h.value for h in at.subheader]


def test_poi_delete_and_restore(db_url, monkeypatch, store):
    poi = store.create_poi({"name_zh": "删除测试", "name_en": "Delete test", "category": "food", "lat": 30.01,
                            "lon": 120.86}, user="bob")
    at = _app(db_url, monkeypatch, "pages/editor_pois.py", user="alice")
    at.selectbox(key="ed_poi_pick").select(poi.id).run()
    assert at.button(key=f"ed_poi_del_{poi.id}").disabled
    at.checkbox(key=f"ed_poi_del_ok_{poi.id}").check().run()
    at.button(key=f"ed_poi_del_{poi.id}").click().run()
    assert store.get_poi(poi.id).deleted
    at.button(key=f"ed_poi_undel_{poi.id}").click().run()
    assert not store.get_poi(poi.id).deleted
    assert [r.action for r in store.poi_revisions(poi.id)] == ["create", "delete", "restore"]


def test_poi_history_restore(db_url, monkeypatch, store):
    poi = store.create_poi({"name_zh": "历史", "name_en": "History", "category": "food", "lat": 30.02,
                            "lon": 120.86}, user="bob")
    store.update_poi(poi.id, {"name_en": "Oops"}, user="bob", expected_version=poi.version)
    at = _app(db_url, monkeypatch, "pages/editor_pois.py", user="alice")
    at.selectbox(key="ed_poi_pick").select(poi.id).run()
    at.selectbox(key=f"ed_poi_rev_{poi.id}").select(1).run()
    at.button(key=f"ed_poi_rev_go_{poi.id}").click().run()
    assert not at.exception, at.exception
    assert store.get_poi(poi.id).name_en == "History"
    assert len(store.poi_revisions(poi.id)) == 3  # nothing was lost: the "Oops" revision is still there


def test_editor_pages_work_in_english(db_url, monkeypatch):
    for page in EDITOR_PAGES[:3]:
        at = _app(db_url, monkeypatch, page, lang="en", user="alice")
        assert not at.exception, (page, at.exception)
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in at.title[0].value)


def test_oidc_button_only_when_configured(db_url, monkeypatch):
    monkeypatch.setenv("GUIDE_DATABASE_URL", db_url)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT_S)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "guide", "client_secret": "s",
                          "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
    at.run()
    at.switch_page("pages/editor.py")
    at.run()
    assert not at.exception, at.exception
    assert "使用单位账号登录" in [b.label for b in at.button]
    assert _labels(at) == ["用户名", "密码"]  # the password form stays available


def test_route_track_revision_restore_adds_a_revision(db_url, monkeypatch, store):
    from routes.core.model import make_track
    from routes.io.gpxio import write_gpx

    first = store.route_revisions("caoe-riverside")[-1]
    info = store.get_route("caoe-riverside")
    other = write_gpx(make_track([30.0, 30.001, 30.002], [120.85, 120.851, 120.852]), name="wrong upload")
    store.add_route_revision("caoe-riverside", other, filename="wrong.gpx", user="bob",
                             expected_version=info.version)
    at = _app(db_url, monkeypatch, "pages/editor_routes.py", user="alice")
    at.selectbox(key="ed_route_pick").select("caoe-riverside").run()
    assert at.selectbox(key="ed_rev_pick_caoe-riverside").value.id == first.id
    at.button(key="ed_rev_restore_caoe-riverside").click().run()
    assert not at.exception, at.exception
    revisions = store.route_revisions("caoe-riverside")
    assert revisions[-1].sha256 == first.sha256 and revisions[-1].uploaded_by == "alice"
    assert store.get_route("caoe-riverside").sha256 == first.sha256
    assert any(r.filename == "wrong.gpx" for r in revisions)  # the mistake stays in the history
    assert any("已恢复" in s.value for s in at.success)


def test_admin_sees_and_lifts_a_lock_out(db_url, monkeypatch, store):
    from routes.store.auth import LOCKOUT_AFTER_FAILURES, AuthError

    store.add_user("locky", PASSWORD, "editor")
    for _ in range(LOCKOUT_AFTER_FAILURES):
        with pytest.raises(AuthError):
            sign_in(store, "locky", "wrong password!")
    at = _app(db_url, monkeypatch, "pages/editor_admin.py", user="root", role="admin")
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    locked = dict(zip(table["用户名"], table["锁定"], strict=True))
    assert locked["locky"].startswith("锁定至 ") and locked["alice"] == "否"
    at.selectbox(key="admin_pick").select("locky").run()
    at.button(key="admin_unlock_locky").click().run()
    assert "已解除锁定。" in [s.value for s in at.success]
    assert sign_in(store, "locky", PASSWORD).user == "locky"
