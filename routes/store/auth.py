"""Editor and organiser sign-in: server-side sessions behind an opaque cookie, lock-out counted atomically in the
database, argon2 checks bounded per process, and the role rules every write is checked against.

Nothing here knows Streamlit or HTTP. A sign-in creates a session row (only sha256 digests of its tokens are stored)
and a one-time exchange token bound to a nonce the signing browser keeps in a cookie; the web layer
(routes/web/session.py) swaps the two for the cookie token, and every page run resolves the cookie back to an
:class:`EditorSession` with :func:`resolve_session`. Every write goes through
:class:`EditorActions`, which re-reads session and account before each action, so an ended session, a disabled or
demoted account, or a role without the right is refused here, whatever a page shows.

Role rules (also in docs/accounts.md):

=================================  =========  ======  =====
action                             organiser  editor  admin
=================================  =========  ======  =====
open the race planner, save plans  yes        yes     yes
edit routes and POIs, publish      no         yes     yes
manage accounts, unlock, restore   no         no      yes
=================================  =========  ======  =====
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from routes.core.errors import GuideError
from routes.core.roles import (
    ADMIN_ROLE,
    EDITOR_ROLES,
    RACE_PLAN_ROLES,
    RACE_PUBLISH_ROLES,
    SIGNIN_ROLES,
)
from routes.store.auth_store import (
    ACCOUNT_PREFIX,
    ADDRESS_PREFIX,
    PAIR_PREFIX,
    ThrottleLimit,
    account_key,
    address_key,
    known_key,
    pair_key,
)
from routes.store.validate import PASSWORD_MAX_CHARS

#: Failed sign-ins for one account name *from one client address* inside LOCKOUT_WINDOW_S that lock that name at that
#: address. Five lets a person mistype twice and try a caps-lock variant. Counted per (name, address), so a stranger's
#: wrong guesses lock the stranger out, never the account's owner at another address.
LOCKOUT_AFTER_FAILURES = 5
#: The window failures are counted in, and how long a lock lasts once the limit is reached.
LOCKOUT_WINDOW_S = 15 * 60
#: Failed sign-ins from one client address (any names) inside the window that lock that address: higher than the
#: per-account limit, because an office or a hotel shares one address between several editors.
ADDRESS_LOCKOUT_AFTER_FAILURES = 20
#: Failed sign-ins for one name from all addresses together (those it has not signed in from before) inside
#: NAME_DELAY_WINDOW_S before each further attempt must wait: guessing spread over many addresses is slowed, but
#: never locked out, and a person's own typos reach it only after two full per-address lock-outs.
NAME_DELAY_AFTER_FAILURES = 2 * LOCKOUT_AFTER_FAILURES
#: The per-name count's window: a day, so a slow guesser gains nothing by pausing for the 15 minute window.
NAME_DELAY_WINDOW_S = 24 * 3600
#: The wait after the per-name limit, doubling with each further failure up to NAME_DELAY_MAX_S: at most 12 guesses
#: an hour then reach a name from all the world's addresses together (the old per-name lock allowed 20).
NAME_DELAY_FIRST_S = 30
NAME_DELAY_MAX_S = 5 * 60
#: An address a name signed in from successfully is spared the per-name delay for this long after that sign-in: an
#: editor at the usual desk or phone keeps working while strangers guess from elsewhere.
KNOWN_ADDRESS_KEEP_S = 90 * 24 * 3600
#: Counters untouched for this long are deleted when the next sign-in passes by (not shorter than the longest window).
THROTTLE_PRUNE_AFTER_S = max(24 * 3600, NAME_DELAY_WINDOW_S)
#: A session ends after this long without a page run: long enough for lunch, short enough for a borrowed laptop.
SESSION_IDLE_TIMEOUT_S = 2 * 3600
#: A session ends this long after sign-in whatever happens: a working day, and then some.
SESSION_ABSOLUTE_TIMEOUT_S = 12 * 3600
#: Kept for callers of the first version: a session's whole life.
SESSION_MAX_AGE_S = SESSION_ABSOLUTE_TIMEOUT_S
#: "Last seen" is written at most this often, so a page run is normally a single read of the session row.
SESSION_TOUCH_INTERVAL_S = 60
#: Life of the one-time token that carries a fresh sign-in from the Streamlit page to the cookie-setting route:
#: the browser follows it at once; a copy found later in a log or a history is useless.
EXCHANGE_TOKEN_TTL_S = 60
#: Ended and expired session rows are kept this long (for "your session expired" rather than "unknown"), then pruned.
SESSION_PRUNE_AFTER_S = 7 * 24 * 3600
#: Random bytes in a cookie or exchange token (256 bits: guessing one is hopeless).
TOKEN_BYTES = 32
#: Longest user name looked at (names are at most 40 characters; the rest is noise).
CREDENTIAL_MAX_CHARS = PASSWORD_MAX_CHARS

_LIMITS = [
    ThrottleLimit(PAIR_PREFIX, LOCKOUT_AFTER_FAILURES, LOCKOUT_WINDOW_S, LOCKOUT_WINDOW_S),
    ThrottleLimit(ADDRESS_PREFIX, ADDRESS_LOCKOUT_AFTER_FAILURES, LOCKOUT_WINDOW_S, LOCKOUT_WINDOW_S),
    ThrottleLimit(ACCOUNT_PREFIX, NAME_DELAY_AFTER_FAILURES, NAME_DELAY_WINDOW_S, NAME_DELAY_FIRST_S, NAME_DELAY_MAX_S),
]
#: The address part of the keys when the client address is not known (AppTest, a bare script run).
UNKNOWN_ADDRESS = "-"


class AuthError(GuideError):
    """A sign-in that did not succeed, or an action the current session may not perform."""

    templates = {
        # One message for unknown user and wrong password: nothing tells a guesser which.
        "bad_credentials": (
            "用户名或密码不正确。",
            "The user name or password is not correct.",
        ),
        # Only said after the right password: someone who knows it learns nothing new from it.
        "disabled": (
            "此账号已停用，请联系管理员。",
            "This account has been disabled; please ask an administrator.",
        ),
        "locked": (
            "登录失败次数过多，已暂时锁定。请约 {minutes} 分钟后再试，或请管理员解锁。",
            "Too many failed sign-ins: locked for now. Try again in about {minutes} minutes, "
            "or ask an administrator to unlock it.",
        ),
        "busy": (
            "此刻登录的人太多，请稍等片刻再试。",
            "Too many sign-ins at this moment; please try again in a little while.",
        ),
        "not_signed_in": ("请先登录。", "Please sign in first."),
        "expired": ("登录已过期，请重新登录。", "Your session has expired; please sign in again."),
        "forbidden": ("此操作需要管理员权限。", "This action needs an administrator account."),
        "editor_only": ("此页面需要编辑账号。", "This page needs an editor account."),
        "account_disabled": (
            "此账号已停用或已删除，请重新登录或联系管理员。",
            "This account has been disabled or removed; sign in again or ask an administrator.",
        ),
        "oidc_unknown": (
            "此外部账号（{email}）没有对应的编辑账号，请联系管理员。",
            "This external account ({email}) is not linked to an editor account; ask an administrator.",
        ),
        "self_demote": (
            "不能停用自己的账号或取消自己的管理员权限。",
            "You cannot disable your own account or remove your own administrator role.",
        ),
    }


@dataclass(frozen=True)
class EditorSession:
    """Who is signed in in one browser. ``token`` is the opaque cookie value (random; it says nothing about the
    account); the database keeps only its digest. ``exchange`` is set only right after a sign-in: the one-time token
    the browser swaps for the cookie, which works only together with ``exchange_nonce``, a second random value the
    signing page puts in a cookie of its own browser (:func:`exchange_digest`)."""

    user: str
    role: str
    token: str
    issued_at_s: float
    expires_at_s: float
    method: str = "password"  # or "oidc"
    exchange: str = ""
    exchange_nonce: str = ""

    def expired(self, now_s: float | None = None) -> bool:
        return (time.time() if now_s is None else now_s) >= self.expires_at_s

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN_ROLE


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """What the database keeps of a token: a copy of the table lets nobody sign in."""
    return hashlib.sha256(str(token).encode("utf-8", "surrogatepass")).hexdigest()


def exchange_digest(exchange: str, nonce: str) -> str:
    """What the database keeps of an exchange token: the digest of the token *and* the signing browser's nonce, so
    the exchange URL alone (sent to another browser by whoever signed in: login CSRF) matches nothing."""
    return hash_token(f"{exchange}.{nonce}")


def new_session(user: str, role: str, *, method: str = "password", now_s: float | None = None,
                max_age_s: float = SESSION_ABSOLUTE_TIMEOUT_S) -> EditorSession:
    """A session value that is not (yet) in the database: :func:`start_session` stores one."""
    now = time.time() if now_s is None else now_s
    return EditorSession(user=user, role=role, token=new_token(), issued_at_s=now, expires_at_s=now + max_age_s,
                         method=method)


def start_session(store: Any, user: str, role: str, *, method: str = "password",
                  now: datetime | None = None) -> EditorSession:
    """Store a new session for an account that has just proved who it is; the result carries the exchange token and
    the nonce the signing browser must hold in its cookie to redeem it."""
    now = now or datetime.now(UTC)
    sess = replace(new_session(user, role, method=method, now_s=now.timestamp()), exchange=new_token(),
                   exchange_nonce=new_token())
    store.create_auth_session(
        user=user, method=method, token_hash=hash_token(sess.token),
        exchange_hash=exchange_digest(sess.exchange, sess.exchange_nonce),
        exchange_expires_at=now + timedelta(seconds=EXCHANGE_TOKEN_TTL_S),
        expires_at=now + timedelta(seconds=SESSION_ABSOLUTE_TIMEOUT_S), now=now,
        prune_before=now - timedelta(seconds=SESSION_PRUNE_AFTER_S),
    )
    return sess


def redeem_exchange(store: Any, exchange: object, nonce: object, *, now: datetime | None = None) -> str | None:
    """The new cookie token for a one-time exchange token and the signing browser's nonce, or None (unknown, used,
    expired, signed out, or another browser's nonce: then the token stays unused for its own browser).

    The cookie token is made here, so the value in the cookie never passed through a URL or a page's memory.
    """
    text, nonce_text = str(exchange or ""), str(nonce or "")
    if not text or len(text) > 2 * TOKEN_BYTES + 8 or not nonce_text or len(nonce_text) > 2 * TOKEN_BYTES + 8:
        return None
    token = new_token()
    ok = store.redeem_exchange(exchange_digest(text, nonce_text), hash_token(token), now=now or datetime.now(UTC))
    return token if ok else None


def resolve_session(store: Any, token: object, *, now: datetime | None = None) -> tuple[EditorSession | None, str]:
    """(session, "") for a cookie token of a live session whose account may still sign in; else (None, why) with
    why one of "none", "unknown", "ended", "idle", "expired", "disabled"."""
    text = str(token or "")
    if not text or len(text) > 2 * TOKEN_BYTES + 8:
        return None, "none"
    now = now or datetime.now(UTC)
    row, why = store.resolve_auth_session(hash_token(text), now=now, idle_s=SESSION_IDLE_TIMEOUT_S,
                                          touch_after_s=SESSION_TOUCH_INTERVAL_S)
    if row is None:
        return None, why
    info = store.get_user(row.user)
    if info is None or not info.active or info.role not in SIGNIN_ROLES:
        return None, "disabled"
    return EditorSession(user=info.name, role=info.role, token=text, issued_at_s=row.created_at.timestamp(),
                         expires_at_s=row.expires_at.timestamp(), method=row.method), ""


def end_session(store: Any, token: object) -> bool:
    """Sign out: the session ends on the server, so its cookie is worthless from now on, wherever it was copied."""
    text = str(token or "")
    return bool(text) and store.end_auth_session(hash_token(text))


def _clean_name(name: object) -> str:
    return " ".join(str(name or "").split())[:CREDENTIAL_MAX_CHARS]


def _address(client: str | None) -> str:
    return str(client)[:200] if client else UNKNOWN_ADDRESS


def known_address(store: Any, name: str, client: str | None, *, now: datetime | None = None) -> bool:
    """Whether ``name`` signed in successfully from this client address within KNOWN_ADDRESS_KEEP_S (never when the
    address is not known: then nobody can tell one client from another)."""
    if not client:
        return False
    now = now or datetime.now(UTC)
    return store.key_seen_since(known_key(name or "-", _address(client)),
                                now - timedelta(seconds=KNOWN_ADDRESS_KEEP_S))


def throttle_keys(name: str, client: str | None, *, known: bool = False) -> list[str]:
    """The counters one attempt is checked and counted against: the (name, address) pair (the lock-out), the address
    (many names from one place), and the name on its own (the slow delay) unless the address is a known one."""
    keys = [pair_key(name or "-", _address(client))]
    if client:
        keys.append(address_key(_address(client)))
    if not known:
        keys.append(account_key(name or "-"))
    return keys


def lock_remaining_s(store: Any, name: str, *, client: str | None = None, now: datetime | None = None) -> float:
    """Seconds until ``name`` may try again from this client address; 0 when nothing holds it back."""
    now = now or datetime.now(UTC)
    clean = _clean_name(name)
    keys = throttle_keys(clean, client, known=known_address(store, clean, client, now=now))
    locks = store.locked_keys(keys, now=now)
    return max([(until - now).total_seconds() for until in locks.values()], default=0.0)


def _minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))


def sign_in(store: Any, name: object, password: object, *, client: str | None = None,
            now: datetime | None = None, now_s: float | None = None) -> EditorSession:
    """A stored session for the account, or AuthError (bad_credentials, disabled, locked, busy).

    The attempt is counted against the (name, address) pair, the address and the name (:func:`throttle_keys`) in one
    transaction *before* the password is checked, so parallel guesses queue on the counter rows and at most
    LOCKOUT_AFTER_FAILURES of them from one address are ever checked. Names that do not exist are counted the same
    way, so the lock-out says nothing about which names exist. While locked, the password is not even checked (a
    correct guess must not be confirmable).

    Why per (name, address): counted per name alone, anyone could keep an administrator locked out with five wrong
    passwords every 15 minutes. Now a stranger's guesses lock the stranger's address; the name itself only gets a
    growing delay after NAME_DELAY_AFTER_FAILURES (guessing from many addresses), and an address the account signed
    in from before is spared even that.
    """
    from routes.store.passwords import PasswordWorkBusy

    now = now or (datetime.fromtimestamp(now_s, UTC) if now_s is not None else datetime.now(UTC))
    raw_name = " ".join(str(name or "").split())
    clean = raw_name[:CREDENTIAL_MAX_CHARS]
    secret = str(password or "")
    keys = throttle_keys(clean, client, known=known_address(store, clean, client, now=now))
    wait_s = store.reserve_sign_in(keys, _LIMITS, now=now, prune_after_s=THROTTLE_PRUNE_AFTER_S,
                                   keep_known_s=KNOWN_ADDRESS_KEEP_S)
    if wait_s > 0:
        raise AuthError("locked", minutes=_minutes(wait_s))
    # Over-long input is never a valid account (creation refuses it): counted, refused, and no argon2 spent on it.
    if not clean or not secret or len(raw_name) > CREDENTIAL_MAX_CHARS or len(secret) > PASSWORD_MAX_CHARS:
        raise AuthError("bad_credentials")
    try:
        info = store.check_credentials(clean, secret)
    except PasswordWorkBusy:
        store.finish_sign_in(keys, refund=keys, now=now)  # nothing was checked: not a failure
        raise AuthError("busy") from None
    if info is None or info.role not in SIGNIN_ROLES:
        raise AuthError("bad_credentials")
    if not info.active:
        raise AuthError("disabled")
    # The pair forgets its failures; the address and the name only take this attempt back (a success says nothing
    # about guesses for the name from elsewhere); the address becomes a known one for this name.
    store.finish_sign_in(keys, reset=keys[:1], refund=keys[1:],
                         remember=[known_key(clean, _address(client))] if client else [], now=now)
    store.record_login_success(info.name, at=now)
    return start_session(store, info.name, info.role, now=now)


def unlock(store: Any, name: str, *, by: str) -> bool:
    """Lift the lock-out on an account (admins, and the command line for a locked-out last admin)."""
    return store.unlock_user(name, by=by)


def oidc_user_name(email: object, mapping: Mapping[str, str] | None) -> str | None:
    """The editor account linked to an OIDC identity's e-mail in the configured mapping (case-insensitive)."""
    if not email or not mapping:
        return None
    wanted = str(email).strip().lower()
    for key, value in mapping.items():
        if str(key).strip().lower() == wanted:
            return str(value).strip() or None
    return None


def sign_in_oidc(store: Any, email: object, mapping: Mapping[str, str] | None, *,
                 now: datetime | None = None) -> EditorSession:
    """A stored session (the same cookie session as a password sign-in) for the account linked to a verified OIDC
    e-mail; AuthError when none is linked or it is disabled."""
    name = oidc_user_name(email, mapping)
    info = store.get_user(name) if name else None
    if info is None or not info.active or info.role not in SIGNIN_ROLES:
        raise AuthError("oidc_unknown", email=str(email or "?"))
    store.record_login_success(info.name)
    return start_session(store, info.name, info.role, method="oidc", now=now)


def may(role: str | None, roles: tuple[str, ...]) -> bool:
    return role in roles


def authorise(store: Any, session: EditorSession | None, *, admin: bool = False,
              roles: tuple[str, ...] = EDITOR_ROLES, now: datetime | None = None) -> Any:
    """The current account (UserInfo) if ``session`` may act now with one of ``roles``; AuthError otherwise.

    The session is looked up in the database and the role read from the account, not from the session, so a session
    ended elsewhere (sign-out in another tab), or an account disabled or demoted by an admin, loses its rights at its
    next click.
    """
    if session is None:
        raise AuthError("not_signed_in")
    live, why = resolve_session(store, session.token, now=now)
    if live is None:
        raise AuthError("account_disabled" if why == "disabled" else "expired" if why in ("idle", "expired")
                        else "not_signed_in")
    info = store.get_user(live.user)
    if info is None or not info.active:
        raise AuthError("account_disabled")
    if admin and info.role != ADMIN_ROLE:
        raise AuthError("forbidden")
    if info.role not in roles:
        raise AuthError("editor_only")
    return info


class EditorActions:
    """Every write an editor or admin can make, each checked with :func:`authorise` first and signed with the
    account name (the store writes the revision and the audit entry)."""

    def __init__(self, store: Any, session: EditorSession | None) -> None:
        self.store = store
        self.session = session

    def _user(self, *, admin: bool = False, roles: tuple[str, ...] = EDITOR_ROLES) -> str:
        return authorise(self.store, self.session, admin=admin, roles=roles).name

    # race plans (organisers too)
    def save_race_plan(self, slug: str, plan: Mapping[str, Any], *, expected_version: int | None):
        return self.store.save_race_plan(slug, plan, user=self._user(roles=RACE_PLAN_ROLES),
                                         expected_version=expected_version)

    def set_race_plan_published(self, slug: str, published: bool):
        """Publish or withdraw the public race page: organisers and admins (RACE_PUBLISH_ROLES), not route editors."""
        return self.store.set_race_plan_published(slug, published, user=self._user(roles=RACE_PUBLISH_ROLES))

    # routes
    def create_route(self, slug: str, *, gpx: bytes, filename: str, fields: Mapping[str, Any], note: str = "",
                     source: bytes | None = None, source_format: str = "gpx", derivation: str = "",
                     confirm_far: bool = False):
        return self.store.create_route(slug, gpx=gpx, filename=filename, fields=fields, user=self._user(), note=note,
                                       source=source, source_format=source_format, derivation=derivation,
                                       confirm_far=confirm_far)

    def add_route_revision(self, slug: str, gpx: bytes, *, filename: str, expected_version: int, note: str = "",
                           source: bytes | None = None, source_format: str = "gpx", derivation: str = "",
                           confirm_far: bool = False):
        return self.store.add_route_revision(slug, gpx, filename=filename, note=note, user=self._user(),
                                             expected_version=expected_version, source=source,
                                             source_format=source_format, derivation=derivation,
                                             confirm_far=confirm_far)

    def restore_route_revision(self, slug: str, revision_id: int, *, expected_version: int,
                               confirm_far: bool = False):
        return self.store.restore_route_revision(slug, revision_id, user=self._user(),
                                                 expected_version=expected_version, confirm_far=confirm_far)

    def update_route(self, slug: str, fields: Mapping[str, Any], *, expected_version: int,
                     confirm_far: bool = False):
        return self.store.update_route(slug, fields, user=self._user(), expected_version=expected_version,
                                       confirm_far=confirm_far)

    def set_route_facts(self, slug: str, facts: Any, *, expected_version: int):
        return self.store.set_route_facts(slug, facts, user=self._user(), expected_version=expected_version)

    def set_route_status(self, slug: str, status: str, *, expected_version: int, confirm_far: bool = False):
        return self.store.set_route_status(slug, status, user=self._user(), expected_version=expected_version,
                                           confirm_far=confirm_far)

    # POIs
    def create_poi(self, fields: Mapping[str, Any]):
        return self.store.create_poi(fields, user=self._user())

    def update_poi(self, poi_id: str, fields: Mapping[str, Any], *, expected_version: int):
        return self.store.update_poi(poi_id, fields, user=self._user(), expected_version=expected_version)

    def delete_poi(self, poi_id: str, *, expected_version: int):
        return self.store.delete_poi(poi_id, user=self._user(), expected_version=expected_version)

    def restore_poi(self, poi_id: str, *, expected_version: int):
        return self.store.restore_poi(poi_id, user=self._user(), expected_version=expected_version)

    def restore_poi_revision(self, poi_id: str, number: int, *, expected_version: int):
        return self.store.restore_poi_revision(poi_id, number, user=self._user(), expected_version=expected_version)

    def set_poi_photo(self, poi_id: str, image_bytes: bytes | None, *, expected_version: int, credit: str = ""):
        return self.store.set_poi_photo(poi_id, image_bytes, user=self._user(), expected_version=expected_version,
                                        credit=credit)

    def apply_poi_import(self, preview: Any):
        return self.store.apply_poi_import(preview, user=self._user())

    # accounts (admins only)
    def list_users(self):
        self._user(admin=True)
        return self.store.list_users()

    def add_user(self, name: str, password: str, role: str):
        return self.store.add_user(name, password, role, by=self._user(admin=True))

    def set_role(self, name: str, role: str):
        me = self._user(admin=True)
        if name == me and role != ADMIN_ROLE:
            raise AuthError("self_demote")
        return self.store.set_role(name, role, by=me)

    def set_active(self, name: str, active: bool):
        me = self._user(admin=True)
        if name == me and not active:
            raise AuthError("self_demote")
        return self.store.set_active(name, active, by=me)

    def set_password(self, name: str, password: str):
        return self.store.set_password(name, password, by=self._user(admin=True))

    def unlock_user(self, name: str) -> bool:
        return unlock(self.store, name, by=self._user(admin=True))

    def locked_users(self) -> dict[str, datetime]:
        """Account names locked out now from some address (or under the per-name delay), and until when."""
        self._user(admin=True)
        return self.store.locked_names([u.name for u in self.store.list_users()])

    def audit_log(self, limit: int | None = 200, **kwargs: Any):
        self._user()
        return self.store.audit_log(limit, **kwargs)
