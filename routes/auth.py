"""Editor sign-in, lock-out after repeated failures, per-browser session tokens and server-side role checks.

Nothing here knows Streamlit: a page keeps the :class:`EditorSession` in ``st.session_state`` (one per browser
session, never a module global) and performs every write through :class:`EditorActions`, which re-reads the account
from the store before each action. A hidden button is therefore never the only protection: an expired session, a
deactivated account or an editor calling an admin action is refused here.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from routes.errors import GuideError

#: Failed sign-ins for one name inside LOCKOUT_WINDOW_S that lock it. Five lets a person mistype twice and try a
#: caps-lock variant; an online guesser gets 20 tries an hour.
LOCKOUT_AFTER_FAILURES = 5
#: The sliding window the failures are counted in; the lock lifts by itself once old failures age out of it.
LOCKOUT_WINDOW_S = 15 * 60
#: A signed-in session lasts a working day; after that the editor signs in again.
SESSION_MAX_AGE_S = 8 * 3600
#: Longest user name or password looked at: argon2 over megabytes of "password" would be a cheap denial of service.
CREDENTIAL_MAX_CHARS = 200
#: Roles allowed to edit content, and the one allowed to manage accounts.
EDITOR_ROLES = ("editor", "admin")
ADMIN_ROLE = "admin"


class AuthError(GuideError):
    """A sign-in that did not succeed, or an action the current session may not perform."""

    templates = {
        # One message for unknown user, wrong password and deactivated account: nothing tells a guesser which.
        "bad_credentials": (
            "用户名或密码不正确。",
            "The user name or password is not correct.",
        ),
        "locked": (
            "登录失败次数过多，此账号已暂时锁定。请约 {minutes} 分钟后再试，或联系管理员。",
            "Too many failed sign-ins: this account is locked for now. Try again in about {minutes} minutes, "
            "or ask an administrator.",
        ),
        "not_signed_in": ("请先登录编辑账号。", "Please sign in with an editor account first."),
        "expired": ("登录已过期，请重新登录。", "Your session has expired; please sign in again."),
        "forbidden": ("此操作需要管理员权限。", "This action needs an administrator account."),
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
    """Who is signed in in one browser session. ``token`` is random, so two sessions are never confused."""

    user: str
    role: str
    token: str
    issued_at_s: float
    expires_at_s: float
    method: str = "password"  # or "oidc"

    def expired(self, now_s: float | None = None) -> bool:
        return (time.time() if now_s is None else now_s) >= self.expires_at_s

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN_ROLE


def new_session(user: str, role: str, *, method: str = "password", now_s: float | None = None,
                max_age_s: float = SESSION_MAX_AGE_S) -> EditorSession:
    now = time.time() if now_s is None else now_s
    return EditorSession(user=user, role=role, token=secrets.token_urlsafe(24), issued_at_s=now,
                         expires_at_s=now + max_age_s, method=method)


def _clean_name(name: object) -> str:
    return " ".join(str(name or "").split())[:CREDENTIAL_MAX_CHARS]


def lock_remaining_s(store: Any, name: str, *, now: datetime | None = None) -> float:
    """Seconds until ``name`` may try again; 0 when it is not locked.

    The store only counts failures, so the wait is the window length (the lock is certain to have lifted by then).
    """
    now = now or datetime.now(UTC)
    failures = store.login_failures(name, now - timedelta(seconds=LOCKOUT_WINDOW_S))
    return float(LOCKOUT_WINDOW_S) if failures >= LOCKOUT_AFTER_FAILURES else 0.0


def sign_in(store: Any, name: object, password: object, *, now: datetime | None = None,
            now_s: float | None = None) -> EditorSession:
    """A session for the account, or AuthError ``bad_credentials`` / ``locked``.

    Failures are recorded for any name typed, existing or not, so the lock-out reveals nothing about which names
    exist. While locked, the password is not even checked (a correct guess must not be confirmable).
    """
    clean = _clean_name(name)
    secret = str(password or "")[:CREDENTIAL_MAX_CHARS]
    if lock_remaining_s(store, clean, now=now) > 0:
        raise AuthError("locked", minutes=LOCKOUT_WINDOW_S // 60)
    info = store.verify_password(clean, secret) if clean and secret else None
    if info is None or info.role not in EDITOR_ROLES:
        store.record_login_failure(clean or "-", at=now)
        raise AuthError("bad_credentials")
    store.record_login_success(info.name, at=now)
    return new_session(info.name, info.role, now_s=now_s)


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
                 now_s: float | None = None) -> EditorSession:
    """A session for the editor account linked to a verified OIDC e-mail; AuthError when none is linked."""
    name = oidc_user_name(email, mapping)
    info = store.get_user(name) if name else None
    if info is None or not info.active or info.role not in EDITOR_ROLES:
        raise AuthError("oidc_unknown", email=str(email or "?"))
    store.record_login_success(info.name)
    return new_session(info.name, info.role, method="oidc", now_s=now_s)


def authorise(store: Any, session: EditorSession | None, *, admin: bool = False, now_s: float | None = None) -> Any:
    """The current account (UserInfo) if ``session`` may act now; AuthError otherwise.

    The role is read from the store, not from the session, so an account disabled or demoted by an admin loses its
    rights at its next click.
    """
    if session is None:
        raise AuthError("not_signed_in")
    if session.expired(now_s):
        raise AuthError("expired")
    info = store.get_user(session.user)
    if info is None or not info.active or info.role not in EDITOR_ROLES:
        raise AuthError("account_disabled")
    if admin and info.role != ADMIN_ROLE:
        raise AuthError("forbidden")
    return info


class EditorActions:
    """Every write an editor or admin can make, each checked with :func:`authorise` first and signed with the
    account name (the store writes the revision and the audit entry)."""

    def __init__(self, store: Any, session: EditorSession | None) -> None:
        self.store = store
        self.session = session

    def _user(self, *, admin: bool = False) -> str:
        return authorise(self.store, self.session, admin=admin).name

    # routes
    def create_route(self, slug: str, *, gpx: bytes, filename: str, fields: Mapping[str, Any], note: str = "",
                     source: bytes | None = None, source_format: str = "gpx", derivation: str = ""):
        return self.store.create_route(slug, gpx=gpx, filename=filename, fields=fields, user=self._user(), note=note,
                                       source=source, source_format=source_format, derivation=derivation)

    def add_route_revision(self, slug: str, gpx: bytes, *, filename: str, expected_version: int, note: str = "",
                           source: bytes | None = None, source_format: str = "gpx", derivation: str = ""):
        return self.store.add_route_revision(slug, gpx, filename=filename, note=note, user=self._user(),
                                             expected_version=expected_version, source=source,
                                             source_format=source_format, derivation=derivation)

    def restore_route_revision(self, slug: str, revision_id: int, *, expected_version: int):
        return self.store.restore_route_revision(slug, revision_id, user=self._user(),
                                                 expected_version=expected_version)

    def update_route(self, slug: str, fields: Mapping[str, Any], *, expected_version: int):
        return self.store.update_route(slug, fields, user=self._user(), expected_version=expected_version)

    def set_route_status(self, slug: str, status: str, *, expected_version: int):
        return self.store.set_route_status(slug, status, user=self._user(), expected_version=expected_version)

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

    def set_poi_photo(self, poi_id: str, image_bytes: bytes | None, *, expected_version: int):
        return self.store.set_poi_photo(poi_id, image_bytes, user=self._user(), expected_version=expected_version)

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

    def audit_log(self, limit: int | None = 200, **kwargs: Any):
        self._user()
        return self.store.audit_log(limit, **kwargs)
