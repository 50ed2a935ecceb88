"""Unexpected failures: logged server-side with their traceback under a short error id a person can quote."""

from __future__ import annotations

import logging
import secrets

LOG = logging.getLogger("guide.incidents")
#: Hex digits of an error id: short enough to read out on the phone, long enough not to collide in a day's log.
ERROR_ID_HEX = 8


def new_error_id() -> str:
    return secrets.token_hex(ERROR_ID_HEX // 2)


def log_incident(exc: BaseException, *, where: str = "") -> str:
    """Log ``exc`` with its traceback and return the error id shown to the person instead of the traceback."""
    error_id = new_error_id()
    LOG.error(
        "error id %s%s: %s: %s",
        error_id,
        f" ({where})" if where else "",
        type(exc).__name__,
        exc,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return error_id
