"""Editor sign-in: one message for every wrong answer, lock-out, sessions, and server-side role checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from routes.auth import (
    LOCKOUT_AFTER_FAILURES,
    LOCKOUT_WINDOW_S,
    SESSION_MAX_AGE_S,
    AuthError,
    EditorActions,
    authorise,
    new_session,
    oidc_user_name,
    sign_in,
    sign_in_oidc,
)
from routes.gpxio import write_gpx
from routes.model import make_track
from routes.store import open_store

PASSWORD = "correct horse battery"


@pytest.fixture()
def store(tmp_path):
    st = open_store(f"sqlite:///{tmp_path / 'auth.db'}", seed=False)
    st.add_user("alice", PASSWORD, "editor")
    st.add_user("root", PASSWORD, "admin")
    return st


def test_sign_in_gives_a_session_with_the_stored_role(store):
    sess = sign_in(store, "alice", PASSWORD)
    assert (sess.user, sess.role, sess.method) == ("alice", "editor", "password")
    assert len(sess.token) >= 24
    assert sess.expires_at_s - sess.issued_at_s == SESSION_MAX_AGE_S


def test_two_sign_ins_get_different_tokens(store):
    assert sign_in(store, "alice", PASSWORD).token != sign_in(store, "alice", PASSWORD).token


@pytest.mark.parametrize("name, password", [
    ("alice", "wrong password!"), ("nobody", PASSWORD), ("", ""), ("alice", ""), ("x" * 10_000, "y" * 10_000),
])
def test_every_wrong_answer_gets_the_same_message(store, name, password):
    with pytest.raises(AuthError) as err:
        sign_in(store, name, password)
    assert err.value.key == "bad_credentials"
    assert err.value.message("zh") == "用户名或密码不正确。"


def test_disabled_account_gets_the_same_message_as_a_wrong_password(store):
    store.set_active("alice", False)
    with pytest.raises(AuthError) as err:
        sign_in(store, "alice", PASSWORD)
    assert err.value.key == "bad_credentials"


def test_repeated_failures_lock_the_name_even_for_the_right_password(store):
    now = datetime.now(UTC)
    for _ in range(LOCKOUT_AFTER_FAILURES):
        with pytest.raises(AuthError):
            sign_in(store, "alice", "wrong password!", now=now)
    with pytest.raises(AuthError) as err:
        sign_in(store, "alice", PASSWORD, now=now)
    assert err.value.key == "locked"
    assert str(LOCKOUT_WINDOW_S // 60) in err.value.message("zh")
    # Other accounts are not affected.
    assert sign_in(store, "root", PASSWORD, now=now).user == "root"


def test_unknown_names_lock_the_same_way(store):
    now = datetime.now(UTC)
    for _ in range(LOCKOUT_AFTER_FAILURES):
        with pytest.raises(AuthError):
            sign_in(store, "ghost", "whatever-123", now=now)
    with pytest.raises(AuthError) as err:
        sign_in(store, "ghost", "whatever-123", now=now)
    assert err.value.key == "locked"


def test_lock_lifts_after_the_window(store):
    start = datetime.now(UTC) - timedelta(seconds=LOCKOUT_WINDOW_S + 60)
    for i in range(LOCKOUT_AFTER_FAILURES):
        with pytest.raises(AuthError):
            sign_in(store, "alice", "wrong password!", now=start + timedelta(seconds=i))
    assert sign_in(store, "alice", PASSWORD).user == "alice"


def test_a_success_resets_the_failure_count(store):
    now = datetime.now(UTC)
    for _ in range(LOCKOUT_AFTER_FAILURES - 1):
        with pytest.raises(AuthError):
            sign_in(store, "alice", "wrong password!", now=now - timedelta(seconds=10))
    sign_in(store, "alice", PASSWORD, now=now - timedelta(seconds=5))
    with pytest.raises(AuthError) as err:
        sign_in(store, "alice", "wrong password!", now=now)
    assert err.value.key == "bad_credentials"


def test_authorise_refuses_missing_expired_disabled_and_non_admin(store):
    with pytest.raises(AuthError, match="sign in"):
        authorise(store, None)
    old = new_session("alice", "editor", now_s=0.0)
    with pytest.raises(AuthError) as err:
        authorise(store, old, now_s=SESSION_MAX_AGE_S + 1.0)
    assert err.value.key == "expired"
    sess = sign_in(store, "alice", PASSWORD)
    assert authorise(store, sess).name == "alice"
    with pytest.raises(AuthError) as err:
        authorise(store, sess, admin=True)
    assert err.value.key == "forbidden"
    store.set_active("alice", False)
    with pytest.raises(AuthError) as err:
        authorise(store, sess)
    assert err.value.key == "account_disabled"


def test_role_comes_from_the_store_not_the_session(store):
    forged = new_session("alice", "admin")  # a session claiming admin for an editor account
    with pytest.raises(AuthError) as err:
        EditorActions(store, forged).add_user("mallory", PASSWORD, "admin")
    assert err.value.key == "forbidden"
    assert store.get_user("mallory") is None


def test_actions_without_a_session_change_nothing(store):
    gpx = write_gpx(make_track([30.0, 30.001], [120.85, 120.851]))
    acts = EditorActions(store, None)
    with pytest.raises(AuthError):
        acts.create_route("new-route", gpx=gpx, filename="a.gpx", fields={"name_zh": "新", "name_en": "New"})
    with pytest.raises(AuthError):
        acts.create_poi({"name_zh": "点", "name_en": "P", "category": "food", "lat": 30.0, "lon": 120.85})
    assert store.get_route("new-route") is None
    assert store.list_pois() == []


def test_actions_are_signed_with_the_account_name(store):
    acts = EditorActions(store, sign_in(store, "alice", PASSWORD))
    poi = acts.create_poi({"name_zh": "点", "name_en": "P", "category": "food", "lat": 30.0, "lon": 120.85})
    assert poi.updated_by == "alice"
    assert store.audit_log(1)[0].user == "alice"


def test_admin_manages_accounts_but_not_their_own_demotion(store):
    acts = EditorActions(store, sign_in(store, "root", PASSWORD))
    acts.add_user("bob", PASSWORD, "editor")
    assert [u.name for u in acts.list_users()] == ["alice", "bob", "root"]
    acts.set_active("bob", False)
    assert store.get_user("bob").active is False
    with pytest.raises(AuthError) as err:
        acts.set_active("root", False)
    assert err.value.key == "self_demote"
    with pytest.raises(AuthError):
        acts.set_role("root", "editor")
    assert store.audit_log(1, target="user:bob")[0].user == "root"


def test_oidc_maps_e_mail_to_an_account(store):
    mapping = {"Alice@Example.org": "alice"}
    assert oidc_user_name("alice@example.ORG", mapping) == "alice"
    assert oidc_user_name("eve@example.org", mapping) is None
    assert oidc_user_name("alice@example.org", None) is None
    assert sign_in_oidc(store, "alice@example.org", mapping).method == "oidc"
    with pytest.raises(AuthError) as err:
        sign_in_oidc(store, "eve@example.org", mapping)
    assert err.value.key == "oidc_unknown"
