"""The store's sign-in half: server-side sessions, atomic failed-attempt counters, and password checks.

Mixed into :class:`routes.store.api.Store`. Policy (how many failures, how long a session lives) belongs to
:mod:`routes.store.auth`, which passes its constants in; this module only makes each step one atomic database write.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, not_, or_, select, update
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
    """Failures allowed for keys with ``prefix`` inside ``window_s`` before they are locked for ``lock_s``; with a
    ``max_lock_s`` above ``lock_s`` each failure past the limit doubles the lock up to that (a growing delay)."""

    prefix: str
    max_failures: int
    window_s: float
    lock_s: float
    max_lock_s: float = 0.0

    def lock_for_s(self, failures: int) -> float:
        if self.max_lock_s <= self.lock_s:
            return self.lock_s
        doublings = min(max(0, failures - self.max_failures), _MAX_DOUBLINGS)
        return min(self.max_lock_s, self.lock_s * 2**doublings)


#: Enough doublings to pass any sensible maximum delay; bounds the power so a huge count cannot overflow a float.
_MAX_DOUBLINGS = 32

#: Throttle key prefixes: one counter per account name typed (the slow, growing delay), one per name *and* client
#: address (the lock-out proper), one per client address, and the "known" rows: a name's successful sign-in from an
#: address, which spares that address the per-name delay (routes/store/auth.py says why).
ACCOUNT_PREFIX = "user"
ADDRESS_PREFIX = "addr"
PAIR_PREFIX = "pair"
KNOWN_PREFIX = "ok"
#: Between the name and the address in a pair or known key: account names never contain it (validate.USER_RE).
PAIR_SEPARATOR = "|"
#: The parts of a pair key, cut so the key fits the column (String(250)): names longer than 40 characters are never
#: accounts, and an address is at most 45 characters (IPv6 with an IPv4 tail).
PAIR_NAME_MAX_CHARS = 160
PAIR_ADDRESS_MAX_CHARS = 64


def user_info(row: s.User) -> UserInfo:
    """An account as the store hands it out, detached from the session that read it."""
    return UserInfo(name=row.name, role=row.role, active=bool(row.active), created_at=row.created_at,
                    last_login_at=row.last_login_at)


def account_key(name: str) -> str:
    return f"{ACCOUNT_PREFIX}:{name}"


def address_key(address: str) -> str:
    return f"{ADDRESS_PREFIX}:{address}"


def _pair_prefix(prefix: str, name: str) -> str:
    return f"{prefix}:{name[:PAIR_NAME_MAX_CHARS]}{PAIR_SEPARATOR}"


def pair_key(name: str, address: str) -> str:
    """The lock-out counter of one name tried from one address."""
    return _pair_prefix(PAIR_PREFIX, name) + address[:PAIR_ADDRESS_MAX_CHARS]


def known_key(name: str, address: str) -> str:
    """The row saying ``name`` signed in successfully from ``address`` (its ``updated_at`` is when, last)."""
    return _pair_prefix(KNOWN_PREFIX, name) + address[:PAIR_ADDRESS_MAX_CHARS]


def _name_rows(names: Iterable[str]) -> Any:
    """SQL condition: the account counters of ``names`` and all their (name, address) counters."""
    names = list(names)
    conds = [s.LoginThrottle.key.in_([account_key(n) for n in names])]
    conds += [s.LoginThrottle.key.startswith(_pair_prefix(PAIR_PREFIX, n), autoescape=True) for n in names]
    return or_(*conds)


def _key_name(key: str) -> str:
    """The account name a ``user:`` or ``pair:`` key counts for."""
    rest = key.split(":", 1)[1]
    return rest.rsplit(PAIR_SEPARATOR, 1)[0] if key.startswith(f"{PAIR_PREFIX}:") else rest


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
        self,
        keys: list[str],
        limits: list[ThrottleLimit],
        *,
        now: datetime | None = None,
        prune_after_s: float,
        keep_known_s: float | None = None,
    ) -> float:
        """Count one attempt against every key before its password is checked, in one transaction.

        Returns 0 when the attempt may go ahead, else the seconds until the longest lock on its keys lifts (the
        attempt is then not counted). The attempt that reaches a key's limit still goes ahead, and locks the key for
        everyone after it; a success later resets the (name, address) key (:meth:`finish_sign_in`). "Known" rows are
        kept ``keep_known_s`` after their last success (default: ``prune_after_s`` like the counters).
        """
        now = now or datetime.now(UTC)
        keys = sorted(set(keys))
        by_prefix = {lim.prefix: lim for lim in limits}
        known = s.LoginThrottle.key.startswith(f"{KNOWN_PREFIX}:")
        keep_known_s = prune_after_s if keep_known_s is None else keep_known_s
        with self._write() as session:
            # Old counters are dropped here, in passing: no timer or cron job is needed to keep the table small.
            session.execute(
                delete(s.LoginThrottle).where(
                    or_(
                        and_(not_(known), s.LoginThrottle.updated_at < now - timedelta(seconds=prune_after_s)),
                        and_(known, s.LoginThrottle.updated_at < now - timedelta(seconds=keep_known_s)),
                    ),
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
                    row.locked_until = now + timedelta(seconds=lim.lock_for_s(row.failures))
                row.updated_at = now
        return 0.0

    def finish_sign_in(
        self,
        keys: list[str],
        *,
        reset: Iterable[str] = (),
        refund: Iterable[str] = (),
        remember: Iterable[str] = (),
        now: datetime | None = None,
    ) -> None:
        """After the check: ``reset`` keys forget their failures (the name and address that just signed in);
        ``refund`` keys take back this attempt's count (the others of a success, or any key when no password was
        checked); ``remember`` keys (known rows) are created or brought up to date."""
        now = now or datetime.now(UTC)
        reset, refund, remember = set(reset), set(refund), set(remember)
        with self._write() as session:
            for row in self._locked_throttle_rows(session, sorted(set(keys) | remember), now):
                if row.key in reset:
                    row.failures, row.window_started_at, row.locked_until = 0, None, None
                elif row.key in refund:
                    # The key was not locked when this attempt passed (else it would have been refused), so a lock on
                    # it now is the one this attempt's count set: it goes with the count.
                    row.failures, row.locked_until = max(0, row.failures - 1), None
                row.updated_at = now

    def unlock_keys(self, keys: Iterable[str]) -> int:
        """Forget the failures of these keys (an administrator's unlock, a password reset); how many were locked.

        An account key (``user:<name>``) takes all of that name's (name, address) counters with it, so unlocking a
        name lifts its lock-out from every address."""
        now = datetime.now(UTC)
        keys = list(keys)
        names = [k.split(":", 1)[1] for k in keys if k.startswith(f"{ACCOUNT_PREFIX}:")]
        with self._write() as session:
            rows = session.scalars(
                select(s.LoginThrottle).where(or_(s.LoginThrottle.key.in_(keys), _name_rows(names))).with_for_update()
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

    def locked_names(self, names: Iterable[str], *, now: datetime | None = None) -> dict[str, datetime]:
        """Which of these account names are locked or delayed now from some address, and until when (the latest)."""
        now = now or datetime.now(UTC)
        names = list(names)
        if not names:
            return {}
        with self._read() as session:
            rows = session.scalars(
                select(s.LoginThrottle).where(_name_rows(names), s.LoginThrottle.locked_until > now)
            ).all()
        wanted, out = set(names), {}
        for row in rows:
            name, until = _key_name(row.key), _aware(row.locked_until)
            if name in wanted and until is not None and until > now:
                out[name] = max(until, out.get(name, until))
        return out

    def key_seen_since(self, key: str, since: datetime) -> bool:
        """Whether ``key`` (a known row) was written at or after ``since``."""
        with self._read() as session:
            seen = session.scalar(select(s.LoginThrottle.updated_at).where(s.LoginThrottle.key == key))
        return seen is not None and _aware(seen) >= since

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
