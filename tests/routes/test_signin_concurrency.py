"""Parallel guesses against the lock-out, with real threads and real processes on SQLite and PostgreSQL: at most the
limit of passwords is ever checked, and argon2 never runs more than its slots at once."""

from __future__ import annotations

import multiprocessing
import sys
import threading
import types
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

from routes.store import passwords
from routes.store.auth import LOCKOUT_AFTER_FAILURES, AuthError, sign_in
from routes.store.auth_store import account_key

PASSWORD = "correct horse battery"
#: The issue's numbers: 15 tabs at once for one account, 20 at once for an unknown name.
PARALLEL_ONE_ACCOUNT = 15
PARALLEL_UNKNOWN_NAME = 20
#: Processes for the cross-process run (each opens its own connection pool): bounded for a 2-core machine.
PROCESSES = 6
#: Longest a burst may take before the test fails rather than hangs.
BURST_TIMEOUT_S = 120


def _attempt(url: str, name: str, password: str) -> str:
    """One sign-in attempt; its outcome key ("ok", "bad_credentials", "locked", ...)."""
    from routes.store import open_store

    try:
        sign_in(open_store(url, seed=False), name, password)
    except AuthError as exc:
        return exc.key
    return "ok"


def _burst_threads(url: str, name: str, password: str, count: int) -> list[str]:
    barrier = threading.Barrier(count)

    def one(_i: int) -> str:
        barrier.wait(timeout=BURST_TIMEOUT_S)
        return _attempt(url, name, password)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count), timeout=BURST_TIMEOUT_S))


@pytest.fixture()
def store(empty_store):
    empty_store.add_user("alice", PASSWORD, "editor")
    return empty_store


def _url(store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def test_parallel_guesses_for_one_account_check_at_most_the_limit(store):
    outcomes = _burst_threads(_url(store), "alice", "wrong password!", PARALLEL_ONE_ACCOUNT)
    assert outcomes.count("bad_credentials") <= LOCKOUT_AFTER_FAILURES, outcomes
    assert set(outcomes) <= {"bad_credentials", "locked"}, outcomes
    assert outcomes.count("locked") >= PARALLEL_ONE_ACCOUNT - LOCKOUT_AFTER_FAILURES
    # The right password right after the burst is refused too: the account is locked.
    assert _attempt(_url(store), "alice", PASSWORD) == "locked"


def test_parallel_guesses_for_an_unknown_name_check_at_most_the_limit(store):
    outcomes = _burst_threads(_url(store), "nobody-here", "whatever-123", PARALLEL_UNKNOWN_NAME)
    assert outcomes.count("bad_credentials") <= LOCKOUT_AFTER_FAILURES, outcomes
    assert store.throttle_failures(account_key("nobody-here")) == LOCKOUT_AFTER_FAILURES


def test_parallel_guesses_from_separate_processes_check_at_most_the_limit(store, monkeypatch):
    url = _url(store)
    # A spawned worker re-runs whatever module is __main__; after an AppTest in the same pytest process that is the
    # app's script (the workers then die starting Streamlit). A bare __main__ makes them import only this module.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    # spawn: a fresh interpreter per worker, as separate Streamlit replicas would be (no inherited connections).
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=PROCESSES, mp_context=ctx) as pool:
        futures = [pool.submit(_attempt, url, "alice", "wrong password!") for _ in range(PROCESSES * 2)]
        outcomes = [f.result(timeout=BURST_TIMEOUT_S) for f in futures]
    assert outcomes.count("bad_credentials") <= LOCKOUT_AFTER_FAILURES, outcomes
    assert outcomes.count("locked") >= PROCESSES * 2 - LOCKOUT_AFTER_FAILURES


def test_a_right_password_among_parallel_wrong_ones_never_exceeds_the_limit(store):
    url = _url(store)
    barrier = threading.Barrier(8)

    def one(i: int) -> str:
        barrier.wait(timeout=BURST_TIMEOUT_S)
        return _attempt(url, "alice", PASSWORD if i == 0 else "wrong password!")

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(one, range(8), timeout=BURST_TIMEOUT_S))
    checked = outcomes.count("bad_credentials") + outcomes.count("ok")
    assert checked <= LOCKOUT_AFTER_FAILURES + 1, outcomes  # a success resets the count for those after it


def test_argon2_runs_at_most_its_slots_at_once(store, monkeypatch):
    hasher = passwords._hasher()
    real_verify = type(hasher).verify
    running = {"now": 0, "peak": 0}
    lock = threading.Lock()

    def counting_verify(self, digest, password):
        with lock:
            running["now"] += 1
            running["peak"] = max(running["peak"], running["now"])
        try:
            return real_verify(self, digest, password)
        finally:
            with lock:
                running["now"] -= 1

    monkeypatch.setattr(type(hasher), "verify", counting_verify)
    names = [f"user{i}" for i in range(10)]  # distinct names: no lock-out, every attempt reaches argon2
    barrier = threading.Barrier(len(names))

    def one(name: str) -> str:
        barrier.wait(timeout=BURST_TIMEOUT_S)
        return _attempt(_url(store), name, "wrong password!")

    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        outcomes = list(pool.map(one, names, timeout=BURST_TIMEOUT_S))
    assert outcomes == ["bad_credentials"] * len(names)
    assert 1 <= running["peak"] <= passwords.ARGON2_MAX_CONCURRENT


def test_no_free_argon2_slot_means_busy_and_is_not_counted(store, monkeypatch):
    monkeypatch.setattr(passwords, "ARGON2_WAIT_S", 0.2)
    passwords._dummy_hash()  # made before the slots are taken
    held = [passwords._SLOTS.acquire(timeout=5) for _ in range(passwords.ARGON2_MAX_CONCURRENT)]
    try:
        assert all(held)
        with pytest.raises(AuthError) as err:
            sign_in(store, "alice", PASSWORD)
        assert err.value.key == "busy"
        assert "稍" in err.value.message("zh")
    finally:
        for _ in held:
            passwords._SLOTS.release()
    assert store.throttle_failures(account_key("alice")) == 0
    assert sign_in(store, "alice", PASSWORD).user == "alice"
