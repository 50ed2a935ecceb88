"""Sign-in: one message for every wrong answer, lock-out per (name, address) and per address, the per-name delay
that spares known addresses, server-side sessions (create, resolve, idle and absolute expiry, sign-out, token opacity,
the exchange bound to the signing browser), role rules, and the CLI unlock; on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from routes.cli.main import main as cli_main
from routes.core.model import make_track
from routes.io.gpxio import write_gpx
from routes.store import ValidationError
from routes.store import schema as s
from routes.store.auth import (
    ADDRESS_LOCKOUT_AFTER_FAILURES,
    EXCHANGE_TOKEN_TTL_S,
    KNOWN_ADDRESS_KEEP_S,
    LOCKOUT_AFTER_FAILURES,
    LOCKOUT_WINDOW_S,
    NAME_DELAY_AFTER_FAILURES,
    NAME_DELAY_FIRST_S,
    NAME_DELAY_MAX_S,
    SESSION_ABSOLUTE_TIMEOUT_S,
    SESSION_IDLE_TIMEOUT_S,
    SESSION_TOUCH_INTERVAL_S,
    THROTTLE_PRUNE_AFTER_S,
    AuthError,
    EditorActions,
    authorise,
    end_session,
    hash_token,
    known_address,
    lock_remaining_s,
    new_session,
    oidc_user_name,
    redeem_exchange,
    resolve_session,
    sign_in,
    sign_in_oidc,
)
from routes.store.auth_store import account_key, pair_key
from routes.store.validate import PASSWORD_MAX_CHARS

PASSWORD = "correct horse battery"
#: Documentation addresses (RFC 5737): the account's owner at home, and strangers guessing from elsewhere.
HOME, ATTACKER, ELSEWHERE = "192.0.2.10", "203.0.113.66", "198.51.100.23"


@pytest.fixture()
def store(empty_store):
    empty_store.add_user("alice", PASSWORD, "editor")
    empty_store.add_user("root", PASSWORD, "admin")
    empty_store.add_user("olga", PASSWORD, "organiser")
    return empty_store


def _fail(store, name, password="wrong password!", **kw):
    with pytest.raises(AuthError) as err:
        sign_in(store, name, password, **kw)
    return err.value.key


# ------------------------------------------------------------------------------------------------ sign-in answers
def test_sign_in_stores_a_session_with_the_stored_role(store):
    sess = sign_in(store, "alice", PASSWORD)
    assert (sess.user, sess.role, sess.method) == ("alice", "editor", "password")
    assert sess.expires_at_s - sess.issued_at_s == SESSION_ABSOLUTE_TIMEOUT_S
    live, why = resolve_session(store, sess.token)
    assert (live.user, live.role, why) == ("alice", "editor", "")


def test_tokens_are_opaque_random_and_only_their_digests_are_stored(store):
    a, b = sign_in(store, "alice", PASSWORD), sign_in(store, "alice", PASSWORD)
    assert a.token != b.token and a.exchange != b.exchange
    assert len(a.token) >= 43 and "alice" not in a.token and "editor" not in a.token
    with store.engine.connect() as conn:
        rows = conn.execute(select(s.AuthSession.__table__)).mappings().all()
    dumped = repr(rows)
    assert a.token not in dumped and a.exchange not in dumped
    assert {r["token_hash"] for r in rows} == {hash_token(a.token), hash_token(b.token)}


@pytest.mark.parametrize(
    "name, password",
    [
        ("alice", "wrong password!"),
        ("nobody", PASSWORD),
        ("", ""),
        ("alice", ""),
        ("x" * 10_000, "y" * 10_000),
        ("alice", PASSWORD + "x" * PASSWORD_MAX_CHARS),
    ],
)
def test_every_wrong_answer_gets_the_same_message(store, name, password):
    with pytest.raises(AuthError) as err:
        sign_in(store, name, password)
    assert err.value.key == "bad_credentials"
    assert err.value.message("zh") == "用户名或密码不正确。"


def test_a_disabled_account_is_told_so_only_after_the_right_password(store):
    store.set_active("alice", False)
    assert _fail(store, "alice") == "bad_credentials"  # a guesser learns nothing
    with pytest.raises(AuthError) as err:
        sign_in(store, "alice", PASSWORD)
    assert err.value.key == "disabled"
    assert err.value.message("zh") == "此账号已停用，请联系管理员。"


def test_password_length_limits_are_the_same_at_creation_and_sign_in(store):
    longest = "p" * PASSWORD_MAX_CHARS
    store.add_user("max", longest, "editor")
    assert sign_in(store, "max", longest).user == "max"
    with pytest.raises(ValidationError) as err:
        store.add_user("toolong", longest + "p", "editor")
    assert err.value.key == "password_long"
    with pytest.raises(ValidationError):
        store.set_password("max", longest + "p")
    # The CLI refuses it too, before anything is written.
    assert _cli(store, ["users", "add", "cli-long", "--role", "editor"], stdin=longest + "p\n") != 0
    assert store.get_user("cli-long") is None


def _cli(store, args, *, stdin=""):
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        return cli_main([*args, "--db", store.engine.url.render_as_string(hide_password=False)])
    finally:
        sys.stdin = old


# ------------------------------------------------------------------------------------------------ lock-out
def test_repeated_failures_lock_the_name_even_for_the_right_password(store):
    now = datetime.now(UTC)
    for _ in range(LOCKOUT_AFTER_FAILURES):
        assert _fail(store, "alice", now=now) == "bad_credentials"
    with pytest.raises(AuthError) as err:
        sign_in(store, "alice", PASSWORD, now=now)
    assert err.value.key == "locked"
    assert str(LOCKOUT_WINDOW_S // 60) in err.value.message("zh")
    assert lock_remaining_s(store, "alice", now=now) == pytest.approx(LOCKOUT_WINDOW_S, abs=2)
    assert sign_in(store, "root", PASSWORD, now=now).user == "root"  # other accounts are not affected


def test_unknown_names_lock_the_same_way(store):
    now = datetime.now(UTC)
    for _ in range(LOCKOUT_AFTER_FAILURES):
        assert _fail(store, "ghost", "whatever-123", now=now) == "bad_credentials"
    assert _fail(store, "ghost", "whatever-123", now=now) == "locked"


def test_lock_lifts_after_the_window(store):
    start = datetime.now(UTC) - timedelta(seconds=LOCKOUT_WINDOW_S + 60)
    for i in range(LOCKOUT_AFTER_FAILURES):
        _fail(store, "alice", now=start + timedelta(seconds=i))
    assert sign_in(store, "alice", PASSWORD).user == "alice"


def test_a_success_resets_the_failure_count(store):
    now = datetime.now(UTC)
    for _ in range(LOCKOUT_AFTER_FAILURES - 1):
        _fail(store, "alice", client=HOME, now=now - timedelta(seconds=10))
    sign_in(store, "alice", PASSWORD, client=HOME, now=now - timedelta(seconds=5))
    assert store.throttle_failures(pair_key("alice", HOME)) == 0
    # The name's own count (guesses from everywhere) keeps the failures; only the success itself is taken back.
    assert store.throttle_failures(account_key("alice")) == LOCKOUT_AFTER_FAILURES - 1
    assert _fail(store, "alice", client=HOME, now=now) == "bad_credentials"


def test_one_address_guessing_many_names_is_locked_but_not_other_addresses(store):
    now = datetime.now(UTC)
    for i in range(ADDRESS_LOCKOUT_AFTER_FAILURES):
        _fail(store, f"guess{i}", client="203.0.113.9", now=now)
    assert _fail(store, "root", PASSWORD, client="203.0.113.9", now=now) == "locked"
    assert sign_in(store, "root", PASSWORD, client="198.51.100.1", now=now).user == "root"


def test_a_strangers_guesses_lock_the_stranger_out_not_the_account(store):
    """Issue 21: five wrong passwords every 15 minutes from anywhere kept an administrator locked out. Now they lock
    the guessing address; the owner signs in from another one, even one never used before."""
    now = datetime.now(UTC)
    for _ in range(LOCKOUT_AFTER_FAILURES):
        assert _fail(store, "root", client=ATTACKER, now=now) == "bad_credentials"
    for _ in range(3):
        assert _fail(store, "root", client=ATTACKER, now=now) == "locked"
    assert _fail(store, "root", PASSWORD, client=ATTACKER, now=now) == "locked"  # the stranger stays throttled
    assert lock_remaining_s(store, "root", client=ATTACKER, now=now) == pytest.approx(LOCKOUT_WINDOW_S, abs=2)
    assert lock_remaining_s(store, "root", client=ELSEWHERE, now=now) == 0
    owner = sign_in(store, "root", PASSWORD, client=ELSEWHERE, now=now)
    assert owner.user == "root"
    # The accounts page still shows the lock (it holds somewhere), and unlocking the name lifts it everywhere.
    admin = EditorActions(store, owner)
    assert admin.locked_users().keys() == {"root"}
    out = io.StringIO()
    with redirect_stdout(out):
        assert _cli(store, ["users", "unlock", "root"]) == 0
    assert lock_remaining_s(store, "root", client=ATTACKER) == 0
    assert admin.locked_users() == {}


def test_guesses_from_many_addresses_slow_the_name_but_not_its_known_addresses(store):
    """Guessing spread over many addresses meets a growing per-name delay (never a lock-out); an address the account
    signed in from before is spared it."""
    start = datetime.now(UTC)
    sign_in(store, "root", PASSWORD, client=HOME, now=start - timedelta(days=30))
    outcomes = [_fail(store, "root", client=f"203.0.113.{i}", now=start)
                for i in range(NAME_DELAY_AFTER_FAILURES // LOCKOUT_AFTER_FAILURES + 2)
                for _ in range(LOCKOUT_AFTER_FAILURES)]
    assert outcomes.count("bad_credentials") == NAME_DELAY_AFTER_FAILURES  # then every further guess waits
    assert store.throttle_failures(account_key("root")) == NAME_DELAY_AFTER_FAILURES
    # A new address waits (even with the right password: a guess is never confirmed while waiting) ...
    assert _fail(store, "root", PASSWORD, client=ELSEWHERE, now=start) == "locked"
    assert lock_remaining_s(store, "root", client=ELSEWHERE, now=start) == pytest.approx(NAME_DELAY_FIRST_S, abs=2)
    # ... the owner's usual address does not.
    assert lock_remaining_s(store, "root", client=HOME, now=start) == 0
    assert sign_in(store, "root", PASSWORD, client=HOME, now=start).user == "root"
    # After the wait one more guess gets through, and the wait doubles; it never grows past its maximum.
    later = start + timedelta(seconds=NAME_DELAY_FIRST_S + 1)
    assert _fail(store, "root", client=ELSEWHERE, now=later) == "bad_credentials"
    assert lock_remaining_s(store, "root", client=ELSEWHERE, now=later) == pytest.approx(2 * NAME_DELAY_FIRST_S, abs=2)
    for i in range(12):
        later += timedelta(seconds=NAME_DELAY_MAX_S + 1)
        assert _fail(store, "root", client=f"198.51.100.{100 + i}", now=later) == "bad_credentials"
    assert lock_remaining_s(store, "root", client=ELSEWHERE, now=later) == pytest.approx(NAME_DELAY_MAX_S, abs=2)
    # A new address with the right password, after the wait, signs in and is known from then on: the next guess
    # sets the wait again for strangers, not for it.
    later += timedelta(seconds=NAME_DELAY_MAX_S + 1)
    assert sign_in(store, "root", PASSWORD, client=ELSEWHERE, now=later).user == "root"
    assert _fail(store, "root", client=ATTACKER, now=later) == "bad_credentials"
    assert _fail(store, "root", PASSWORD, client="198.51.100.250", now=later) == "locked"
    assert sign_in(store, "root", PASSWORD, client=ELSEWHERE, now=later).user == "root"


def test_a_known_address_is_forgotten_after_its_keep_time(store):
    then = datetime.now(UTC) - timedelta(seconds=KNOWN_ADDRESS_KEEP_S + 60)
    sign_in(store, "root", PASSWORD, client=HOME, now=then)
    assert known_address(store, "root", HOME, now=then + timedelta(days=1))
    assert not known_address(store, "root", HOME)
    assert not known_address(store, "root", None)  # no address: nobody can be told apart, nobody is known


def test_admin_unlock_and_password_reset_lift_a_lock(store):
    now = datetime.now(UTC)
    for _ in range(LOCKOUT_AFTER_FAILURES):
        _fail(store, "alice", now=now)
    admin = EditorActions(store, sign_in(store, "root", PASSWORD))
    assert admin.locked_users().keys() == {"alice"}
    assert admin.unlock_user("alice") is True
    assert admin.unlock_user("alice") is False
    assert sign_in(store, "alice", PASSWORD).user == "alice"
    assert store.audit_log(1, target="user:alice")[0].action == "user.unlock"
    for _ in range(LOCKOUT_AFTER_FAILURES):
        _fail(store, "alice")
    admin.set_password("alice", "another long password")
    assert sign_in(store, "alice", "another long password").user == "alice"
    with pytest.raises(AuthError) as err:
        EditorActions(store, sign_in(store, "alice", "another long password")).unlock_user("root")
    assert err.value.key == "forbidden"


def test_the_cli_unlocks_a_locked_out_last_admin(store):
    for _ in range(LOCKOUT_AFTER_FAILURES):
        _fail(store, "root")
    assert _fail(store, "root", PASSWORD) == "locked"
    out = io.StringIO()
    with redirect_stdout(out):
        assert _cli(store, ["users", "unlock", "root"]) == 0
    assert "root unlocked" in out.getvalue()
    assert sign_in(store, "root", PASSWORD).user == "root"
    assert _cli(store, ["users", "unlock", "nobody"]) != 0


def test_the_cli_adds_an_organiser(store):
    out = io.StringIO()
    with redirect_stdout(out):
        assert _cli(store, ["users", "add", "org2", "--role", "organiser"], stdin=PASSWORD + "\n") == 0
    assert store.get_user("org2").role == "organiser"


def test_old_failure_counters_are_pruned(store):
    long_ago = datetime.now(UTC) - timedelta(seconds=THROTTLE_PRUNE_AFTER_S + 60)
    _fail(store, "forgotten", now=long_ago)
    assert store.throttle_failures(account_key("forgotten")) == 1
    _fail(store, "someone-else")
    assert store.throttle_failures(account_key("forgotten")) == 0
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM login_throttle WHERE key = 'user:forgotten'")).scalar() == 0


# ------------------------------------------------------------------------------------------------ sessions
def test_the_exchange_token_works_once_and_gives_a_new_cookie_token(store):
    sess = sign_in(store, "alice", PASSWORD)
    cookie = redeem_exchange(store, sess.exchange, sess.exchange_nonce)
    assert cookie and cookie not in (sess.token, sess.exchange, sess.exchange_nonce)
    assert redeem_exchange(store, sess.exchange, sess.exchange_nonce) is None  # used
    assert resolve_session(store, cookie)[0].user == "alice"
    assert resolve_session(store, sess.token) == (None, "unknown")  # rotated away: the tab re-reads the cookie


def test_the_exchange_token_expires(store):
    then = datetime.now(UTC)
    sess = sign_in(store, "alice", PASSWORD, now=then)
    later = then + timedelta(seconds=EXCHANGE_TOKEN_TTL_S + 1)
    assert redeem_exchange(store, sess.exchange, sess.exchange_nonce, now=later) is None
    assert redeem_exchange(store, "made-up", sess.exchange_nonce) is None
    assert redeem_exchange(store, "", "") is None


def test_the_exchange_token_works_only_with_the_signing_browsers_nonce(store):
    """Login CSRF: the exchange URL alone (sent to another browser) signs nobody in and is not spent by trying."""
    sess = sign_in(store, "alice", PASSWORD)
    other = sign_in(store, "alice", PASSWORD)
    assert sess.exchange_nonce and sess.exchange_nonce != other.exchange_nonce
    assert redeem_exchange(store, sess.exchange, None) is None
    assert redeem_exchange(store, sess.exchange, "") is None
    assert redeem_exchange(store, sess.exchange, other.exchange_nonce) is None  # another browser's nonce
    assert redeem_exchange(store, sess.exchange, "x" * 500) is None
    # None of those used it up: the signing browser still gets its cookie.
    assert resolve_session(store, redeem_exchange(store, sess.exchange, sess.exchange_nonce))[0].user == "alice"


def test_idle_and_absolute_timeouts(store):
    t0 = datetime.now(UTC)
    sess = sign_in(store, "alice", PASSWORD, now=t0)
    # Used every hour: stays signed in until the absolute limit.
    t = t0
    while t + timedelta(hours=1) < t0 + timedelta(seconds=SESSION_ABSOLUTE_TIMEOUT_S):
        t += timedelta(hours=1)
        assert resolve_session(store, sess.token, now=t)[0] is not None, t - t0
    assert resolve_session(store, sess.token, now=t0 + timedelta(seconds=SESSION_ABSOLUTE_TIMEOUT_S)) == (
        None,
        "expired",
    )
    idle = sign_in(store, "alice", PASSWORD, now=t0)
    assert resolve_session(store, idle.token, now=t0 + timedelta(seconds=SESSION_IDLE_TIMEOUT_S - 1))[0] is not None
    later = t0 + timedelta(seconds=2 * SESSION_IDLE_TIMEOUT_S)
    assert resolve_session(store, idle.token, now=later) == (None, "idle")
    with pytest.raises(AuthError) as err:
        authorise(store, idle, now=later)
    assert err.value.key == "expired"


def test_last_seen_is_written_at_most_once_a_minute(store):
    t0 = datetime.now(UTC)
    sess = sign_in(store, "alice", PASSWORD, now=t0)

    def last_seen():
        with store.engine.connect() as conn:
            return conn.execute(
                select(s.AuthSession.last_seen_at).where(s.AuthSession.token_hash == hash_token(sess.token))
            ).scalar()

    before = last_seen()
    resolve_session(store, sess.token, now=t0 + timedelta(seconds=SESSION_TOUCH_INTERVAL_S / 2))
    assert last_seen() == before
    resolve_session(store, sess.token, now=t0 + timedelta(seconds=SESSION_TOUCH_INTERVAL_S + 1))
    assert last_seen() > before


def test_sign_out_ends_the_session_everywhere(store):
    sess = sign_in(store, "alice", PASSWORD)
    cookie = redeem_exchange(store, sess.exchange, sess.exchange_nonce)
    assert end_session(store, cookie) is True
    assert resolve_session(store, cookie) == (None, "ended")
    assert end_session(store, cookie) is False
    with pytest.raises(AuthError) as err:
        EditorActions(store, sess).create_poi(
            {"name_zh": "点", "name_en": "P", "category": "food", "lat": 30.0, "lon": 120.85}
        )
    assert err.value.key == "not_signed_in"


def test_disabling_or_a_new_password_ends_the_accounts_sessions(store):
    a = sign_in(store, "alice", PASSWORD)
    store.set_password("alice", "a brand new password")
    assert resolve_session(store, a.token) == (None, "ended")
    b = sign_in(store, "alice", "a brand new password")
    store.set_active("alice", False)
    assert resolve_session(store, b.token)[0] is None


# ------------------------------------------------------------------------------------------------ roles
def test_authorise_refuses_missing_unstored_disabled_and_non_admin(store):
    with pytest.raises(AuthError, match="sign in"):
        authorise(store, None)
    with pytest.raises(AuthError) as err:
        authorise(store, new_session("alice", "editor"))  # never stored: a forged session is nobody
    assert err.value.key == "not_signed_in"
    sess = sign_in(store, "alice", PASSWORD)
    assert authorise(store, sess).name == "alice"
    with pytest.raises(AuthError) as err:
        authorise(store, sess, admin=True)
    assert err.value.key == "forbidden"
    store.set_active("alice", False)
    with pytest.raises(AuthError) as err:
        authorise(store, sess)
    assert err.value.key in ("account_disabled", "not_signed_in")


def test_role_comes_from_the_store_not_the_session(store):
    sess = sign_in(store, "alice", PASSWORD)
    forged = replace(sess, role="admin")  # a live session that claims admin for an editor account
    with pytest.raises(AuthError) as err:
        EditorActions(store, forged).add_user("mallory", PASSWORD, "admin")
    assert err.value.key == "forbidden"
    assert store.get_user("mallory") is None


def test_organisers_save_race_plans_but_do_not_edit_content(store):
    acts = EditorActions(store, sign_in(store, "olga", PASSWORD))
    plan = {"route": "lianghu-loop", "laps": 2, "markers": []}
    assert acts.save_race_plan("spring-gp", plan, expected_version=None).updated_by == "olga"
    with pytest.raises(AuthError) as err:
        acts.create_poi({"name_zh": "点", "name_en": "P", "category": "food", "lat": 30.0, "lon": 120.85})
    assert err.value.key == "editor_only"
    with pytest.raises(AuthError):
        acts.list_users()
    editor = EditorActions(store, sign_in(store, "alice", PASSWORD))
    assert editor.save_race_plan("spring-gp", plan, expected_version=1).version == 2
    with pytest.raises(AuthError):
        EditorActions(store, None).save_race_plan("other", plan, expected_version=None)


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
    assert [u.name for u in acts.list_users()] == ["alice", "bob", "olga", "root"]
    acts.set_active("bob", False)
    assert store.get_user("bob").active is False
    with pytest.raises(AuthError) as err:
        acts.set_active("root", False)
    assert err.value.key == "self_demote"
    with pytest.raises(AuthError):
        acts.set_role("root", "editor")
    assert store.audit_log(1, target="user:bob")[0].user == "root"


def test_oidc_ends_in_the_same_stored_session(store):
    mapping = {"Alice@Example.org": "alice"}
    assert oidc_user_name("alice@example.ORG", mapping) == "alice"
    assert oidc_user_name("eve@example.org", mapping) is None
    assert oidc_user_name("alice@example.org", None) is None
    sess = sign_in_oidc(store, "alice@example.org", mapping)
    assert sess.method == "oidc"
    cookie = redeem_exchange(store, sess.exchange, sess.exchange_nonce)
    assert resolve_session(store, cookie)[0].method == "oidc"
    with pytest.raises(AuthError) as err:
        sign_in_oidc(store, "eve@example.org", mapping)
    assert err.value.key == "oidc_unknown"
