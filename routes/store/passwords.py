"""Password hashing with argon2id; an unknown user costs the same time as a wrong password; bounded concurrency."""

from __future__ import annotations

import threading
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

#: argon2 computations running at once in one process. Each takes the hasher's memory cost (64 MiB) while it runs, so a
#: burst of 20 sign-ins would otherwise hold 1.3 GB; two at a time keep it near 128 MB and still finish a person's
#: sign-in well under a second on a quiet server.
ARGON2_MAX_CONCURRENT = 2
#: How long an argon2 computation waits for a free slot before the attempt is refused as "busy, try again".
ARGON2_WAIT_S = 15.0

# Process-wide on purpose: the memory it protects is the process's. Nothing user-specific is kept in it.
_SLOTS = threading.BoundedSemaphore(ARGON2_MAX_CONCURRENT)


class PasswordWorkBusy(Exception):
    """No argon2 slot became free in time (a burst of sign-ins); the caller asks the person to try again."""


@cache
def _hasher() -> PasswordHasher:
    # argon2-cffi's defaults follow RFC 9106's second recommended option (64 MiB, 3 passes): built once, immutable.
    return PasswordHasher()


class _slot:
    def __enter__(self) -> None:
        if not _SLOTS.acquire(timeout=ARGON2_WAIT_S):
            raise PasswordWorkBusy()

    def __exit__(self, *exc: object) -> None:
        _SLOTS.release()


@cache
def _dummy_hash() -> str:
    with _slot():
        return _hasher().hash("not a real password: used to spend the same time when the user does not exist")


def hash_password(password: str) -> str:
    with _slot():
        return _hasher().hash(password)


def check_password_hash(digest: str | None, password: str) -> bool:
    dummy = _dummy_hash() if digest is None else None
    with _slot():
        try:
            return _hasher().verify(digest or dummy, password) and digest is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def needs_rehash(digest: str) -> bool:
    return _hasher().check_needs_rehash(digest)
