"""The store's sign-in half: server-side sessions, atomic failed-attempt counters, and password checks.

Mixed into :class:`routes.store.api.Store`. Policy (how many failures, how long a session lives) belongs to
:mod:`routes.store.auth`, which passes its constants in; this module only makes each step one atomic database write.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from routes.store import schema as s
from routes.store.records import UserInfo


@dataclass(frozen=True)
class AuthSessionInfo:
    """A live session as read from the database (the token itself is never stored, only its digest)."""

    id: int
    user: str
    method: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class ThrottleLimit:
    """Failures allowed for keys with ``prefix`` inside ``window_s`` before they are locked for ``lock_s``."""

    prefix: str
    max_failures: int
    window_s: float
    lock_s: float


#: Throttle key prefixes: one counter per account name typed and one per client address.
ACCOUNT_PREFIX = "user"
ADDRESS_PREFIX = "addr"


def user_info(row: s.User) -> UserInfo:
    """An account as the store hands it out, detached from the session that read it."""
    return UserInfo(name=row.name, role=row.role, active=bool(row.active), created_at=row.created_at,
                    last_login_at=row.last_login_at)


def account_key(name: str) -> str:
    return f"{ACCOUNT_PREFIX}:{name}"


def address_key(address: str) -> str:
    return f"{ADDRESS_PREFIX}:{address}"


def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else (value if value.tzinfo else value.replace(tzinfo=UTC))


class AuthStoreMixin:
    """Sessions and throttling; needs ``self.engine``, ``self._write()`` and ``self._read()`` from the Store."""

    engine: Any
    _write: Any
    _read: Any

    # ------------------------------------------------------------------ credentials
    def check_credentials(self, name: str, password: str) -> UserInfo | None:
        """The account when the password matches, active or not (the caller decides what a disabled account is
        told); None for a wrong password or an unknown name, after the same amount of argon2 work."""
        from routes.store.passwords import check_password_hash, hash_password, needs_rehash

        with self._read() as session:
            row = session.scalars(select(s.User).where(s.User.name == str(name))).one_or_none()
            digest = row.password_hash if row is not None else None
            info = user_info(row) if row is not None else None
        if not check_password_hash(digest, str(password)) or info is None:
            return None
        if needs_rehash(digest):  # parameters were raised since this hash was made
            with self._write() as session:
                session.execute(
                    update(s.User).where(s.User.name == info.name).values(password_hash=hash_password(str(password)))
                )
        return info

    # ------------------------------------------------------------------ failed-attempt counters
    def _ensure_throttle_rows(self, session: Session, keys: Iterable[str], now: datetime) -> None:
        rows = [
            {"key": k, "failures": 0, "window_started_at": None, "locked_until": None, "updated_at": now} for k in keys
        ]
        if self.engine.dialect.name == "postgresql":
            stmt = pg_insert(s.LoginThrottle).values(rows).on_conflict_do_nothing(index_elements=["key"])
        else:
            stmt = sqlite_insert(s.LoginThrottle).values(rows).on_conflict_do_nothing(index_elements=["key"])
        session.execute(stmt)

    def _locked_throttle_rows(self, session: Session, keys: list[str], now: datetime) -> Iterator[s.LoginThrottle]:
        # Sorted keys, so two attempts lock the same rows in the same order and never deadlock. On SQLite the
        # write transaction (BEGIN IMMEDIATE) already serialises; on PostgreSQL FOR UPDATE does it per key.
        self._ensure_throttle_rows(session, keys, now)
        yield from session.scalars(
            select(s.LoginThrottle).where(s.LoginThrottle.key.in_(keys)).order_by(s.LoginThrottle.key).with_for_update()
        ).all()

    def reserve_sign_in(
        self, keys: list[str], limits: list[ThrottleLimit], *, now: datetime | None = None, prune_after_s: float
    ) -> float:
        """Count one attempt against every key before its password is checked, in one transaction.

        Returns 0 when the attempt may go ahead, else the seconds until the longest lock on its keys lifts (the
        attempt is then not counted). The attempt that reaches a key's limit still goes ahead, and locks the key for
        everyone after it; a success later resets the account key (:meth:`finish_sign_in`).
        """
        now = now or datetime.now(UTC)
        keys = sorted(set(keys))
        by_prefix = {lim.prefix: lim for lim in limits}
        with self._write() as session:
            # Old counters are dropped here, in passing: no timer or cron job is needed to keep the table small.
            session.execute(
                delete(s.LoginThrottle).where(
                    s.LoginThrottle.updated_at < now - timedelta(seconds=prune_after_s),
                    or_(s.LoginThrottle.locked_until.is_(None), s.LoginThrottle.locked_until < now),
                )
            )
            rows = list(self._locked_throttle_rows(session, keys, now))
            wait_s = 0.0
            for row in rows:
                lim = by_prefix[row.key.split(":", 1)[0]]
                locked = _aware(row.locked_until)
                if locked is not None and locked > now:
                    wait_s = max(wait_s, (locked - now).total_seconds())
                    continue
                started = _aware(row.window_started_at)
                if started is None or started <= now - timedelta(seconds=lim.window_s):
                    row.failures, row.window_started_at, row.locked_until = 0, now, None
            if wait_s > 0:
                return wait_s
            for row in rows:
                lim = by_prefix[row.key.split(":", 1)[0]]
                row.failures += 1
                if row.failures >= lim.max_failures:
                    row.locked_until = now + timedelta(seconds=lim.lock_s)
                row.updated_at = now
        return 0.0

    def finish_sign_in(
        self,
        keys: list[str],
        limits: list[ThrottleLimit],
        *,
        reset: Iterable[str] = (),
        refund: Iterable[str] = (),
        now: datetime | None = None,
    ) -> None:
        """After the check: ``reset`` keys forget their failures (the account that just signed in); ``refund`` keys
        take back this attempt's count (the client address of a success, or any key when no password was checked)."""
        now = now or datetime.now(UTC)
        reset, refund = set(reset), set(refund)
        by_prefix = {lim.prefix: lim for lim in limits}
        with self._write() as session:
            for row in self._locked_throttle_rows(session, sorted(set(keys)), now):
                if row.key in reset:
                    row.failures, row.window_started_at, row.locked_until = 0, None, None
                elif row.key in refund:
                    row.failures = max(0, row.failures - 1)
                    if row.failures < by_prefix[row.key.split(":", 1)[0]].max_failures:
                        row.locked_until = None
                row.updated_at = now

    def unlock_keys(self, keys: Iterable[str]) -> int:
        """Forget the failures of these keys (an administrator's unlock, a password reset); how many were locked."""
        now = datetime.now(UTC)
        with self._write() as session:
            rows = session.scalars(
                select(s.LoginThrottle).where(s.LoginThrottle.key.in_(list(keys))).with_for_update()
            ).all()
            locked = sum(1 for r in rows if _aware(r.locked_until) is not None and _aware(r.locked_until) > now)
            for row in rows:
                session.delete(row)
        return locked

    def locked_keys(self, keys: Iterable[str], *, now: datetime | None = None) -> dict[str, datetime]:
        """Which of ``keys`` are locked now, and until when."""
        now = now or datetime.now(UTC)
        with self._read() as session:
            rows = session.scalars(select(s.LoginThrottle).where(s.LoginThrottle.key.in_(list(keys)))).all()
            return {
                r.key: _aware(r.locked_until)
                for r in rows
                if _aware(r.locked_until) is not None and _aware(r.locked_until) > now
            }

    def throttle_failures(self, key: str) -> int:
        with self._read() as session:
            return int(session.scalar(select(s.LoginThrottle.failures).where(s.LoginThrottle.key == key)) or 0)

    # ------------------------------------------------------------------ sessions
    def create_auth_session(
        self,
        *,
        user: str,
        method: str,
        token_hash: str,
        exchange_hash: str | None,
        exchange_expires_at: datetime | None,
        expires_at: datetime,
        now: datetime,
        prune_before: datetime,
    ) -> None:
        with self._write() as session:
            # Sessions that ended or expired long enough ago are of no further use to anyone: dropped in passing.
            session.execute(
                delete(s.AuthSession).where(
                    or_(s.AuthSession.expires_at < prune_before, s.AuthSession.ended_at < prune_before)
                )
            )
            session.add(
                s.AuthSession(
                    token_hash=token_hash,
                    exchange_hash=exchange_hash,
                    exchange_expires_at=exchange_expires_at,
                    user_name=user,
                    method=method,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=expires_at,
                )
            )

    def redeem_exchange(self, exchange_hash: str, new_token_hash: str, *, now: datetime) -> bool:
        """Swap a one-time exchange token for a new cookie token, once, before it expires (atomic: of two parallel
        redemptions exactly one matches the row)."""
        with self._write() as session:
            done = session.execute(
                update(s.AuthSession)
                .where(
                    s.AuthSession.exchange_hash == exchange_hash,
                    s.AuthSession.exchange_expires_at > now,
                    s.AuthSession.ended_at.is_(None),
                    s.AuthSession.expires_at > now,
                )
                .values(token_hash=new_token_hash, exchange_hash=None, exchange_expires_at=None, last_seen_at=now)
            )
            return done.rowcount == 1

    def resolve_auth_session(
        self, token_hash: str, *, now: datetime, idle_s: float, touch_after_s: float
    ) -> tuple[AuthSessionInfo | None, str]:
        """(session, "") for a live session, else (None, why): "unknown", "ended", "idle" or "expired".

        ``last_seen_at`` is written at most every ``touch_after_s`` so that a page run is normally one read.
        """
        with self._read() as session:
            row = session.scalars(select(s.AuthSession).where(s.AuthSession.token_hash == token_hash)).one_or_none()
            if row is None:
                return None, "unknown"
            info = AuthSessionInfo(
                id=row.id,
                user=row.user_name,
                method=row.method,
                created_at=row.created_at,
                last_seen_at=row.last_seen_at,
                expires_at=row.expires_at,
            )
            if row.ended_at is not None:
                return None, "ended"
        if info.expires_at <= now:
            return None, "expired"
        if info.last_seen_at <= now - timedelta(seconds=idle_s):
            return None, "idle"
        if info.last_seen_at <= now - timedelta(seconds=touch_after_s):
            with self._write() as session:
                session.execute(
                    update(s.AuthSession)
                    .where(s.AuthSession.id == info.id, s.AuthSession.ended_at.is_(None))
                    .values(last_seen_at=now)
                )
        return info, ""

    def end_auth_session(self, token_hash: str, *, now: datetime | None = None) -> bool:
        with self._write() as session:
            done = session.execute(
                update(s.AuthSession)
                .where(s.AuthSession.token_hash == token_hash, s.AuthSession.ended_at.is_(None))
                .values(ended_at=now or datetime.now(UTC), exchange_hash=None)
            )
            return done.rowcount == 1

    def end_user_sessions(self, user: str, *, now: datetime | None = None) -> int:
        """End every session of one account (password changed, account disabled)."""
        with self._write() as session:
            done = session.execute(
                update(s.AuthSession)
                .where(s.AuthSession.user_name == user, s.AuthSession.ended_at.is_(None))
                .values(ended_at=now or datetime.now(UTC), exchange_hash=None)
            )
            return done.rowcount
