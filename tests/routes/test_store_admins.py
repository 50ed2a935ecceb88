"""The guide always keeps an active administrator: the last one cannot be disabled or demoted, and two admins taking
each other's rights at the same moment leave one of them in place, with real threads on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest

from routes.core.errors import GuideError
from routes.store import Store, StoreError, open_store
from routes.store.auth import EditorActions, start_session

PASSWORD = "correct horse battery"
#: The issue's count: 3 of 20 rounds of two admins disabling each other left no active admin.
ROUNDS = 20
#: Longest a round may take before the test fails rather than hangs.
ROUND_TIMEOUT_S = 60


@pytest.fixture()
def admins(empty_store: Store) -> Store:
    empty_store.add_user("ann", PASSWORD, "admin")
    empty_store.add_user("bob", PASSWORD, "admin")
    empty_store.add_user("ed", PASSWORD, "editor")
    return empty_store


def _url(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def _active_admins(store: Store) -> list[str]:
    return [u.name for u in store.list_users() if u.role == "admin" and u.active]


def _at_once(*actions) -> list[str]:  # noqa: ANN002 - zero-argument callables
    """Run the actions in threads released together; each one's outcome: "ok" or the error's key."""
    barrier = threading.Barrier(len(actions))

    def one(action) -> str:  # noqa: ANN001
        barrier.wait(timeout=ROUND_TIMEOUT_S)
        try:
            action()
        except GuideError as exc:
            return exc.key
        return "ok"

    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        return list(pool.map(one, actions, timeout=ROUND_TIMEOUT_S))


def _reset(store: Store) -> None:
    for name in ("ann", "bob"):
        store.set_role(name, "admin")
        store.set_active(name, True)


def test_the_last_active_admin_cannot_be_disabled_or_demoted(admins: Store) -> None:
    admins.set_active("bob", False, by="ann")
    before = admins.dump_canonical()
    for change in (lambda: admins.set_active("ann", False, by="x"), lambda: admins.set_role("ann", "editor", by="x")):
        with pytest.raises(StoreError) as err:
            change()
        assert err.value.key == "last_admin" and "ann" in err.value.message("zh")
    assert admins.dump_canonical() == before  # nothing changed, not even the audit log
    # other accounts, re-enabling, and a second admin first: all fine
    admins.set_active("ed", False, by="ann")
    admins.set_role("ed", "organiser", by="ann")
    admins.set_active("bob", True, by="ann")
    admins.set_role("ann", "editor", by="bob")
    assert _active_admins(admins) == ["bob"]


def test_two_admins_disabling_or_demoting_each_other_at_once_leave_one(admins: Store) -> None:
    url = _url(admins)
    for n in range(ROUNDS):
        _reset(admins)
        a, b = open_store(url, seed=False), open_store(url, seed=False)
        take_ann = partial(b.set_role, "ann", "editor", by="bob") if n % 2 else partial(
            b.set_active, "ann", False, by="bob")
        result = _at_once(partial(a.set_active, "bob", False, by="ann"), take_ann)
        assert len(_active_admins(admins)) == 1, (n, result)
        assert sorted(result) == ["last_admin", "ok"], (n, result)


def test_two_signed_in_admins_disabling_each_other_at_once_leave_one(admins: Store) -> None:
    """The issue's path: the accounts page, each admin acting through their own session."""
    url = _url(admins)
    for n in range(ROUNDS):
        _reset(admins)  # a disabled admin's sessions end: sign both in again
        ann = EditorActions(open_store(url, seed=False), start_session(admins, "ann", "admin"))
        bob = EditorActions(open_store(url, seed=False), start_session(admins, "bob", "admin"))
        result = _at_once(partial(ann.set_active, "bob", False), partial(bob.set_active, "ann", False))
        assert len(_active_admins(admins)) == 1, (n, result)
        # the slower one is refused: by the store's rule, or already signed out by the faster one's change
        assert result.count("ok") == 1, (n, result)
        assert set(result) <= {"ok", "last_admin", "account_disabled", "not_signed_in"}, (n, result)
