"""Password hashing with argon2id; an unknown user costs the same time as a wrong password."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


@cache
def _hasher() -> PasswordHasher:
    # argon2-cffi's defaults follow RFC 9106's second recommended option (64 MiB, 3 passes): built once, immutable.
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    return _hasher().hash("not a real password: used to spend the same time when the user does not exist")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password_hash(digest: str | None, password: str) -> bool:
    try:
        return _hasher().verify(digest or _dummy_hash(), password) and digest is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(digest: str) -> bool:
    return _hasher().check_needs_rehash(digest)
