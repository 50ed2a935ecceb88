"""Every table's rows as plain JSON values, in primary-key order: datetimes as ISO text, binary values as their
sha256 (the bytes themselves collected aside). Backups are written in this form, and two equal dumps mean equal content.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import LargeBinary, Table, select
from sqlalchemy.engine import Connection, Engine

from routes.store import schema as s
from routes.store.errors import StoreError


def ordered_tables() -> list[Table]:
    return [s.Base.metadata.tables[name] for name in s.TABLE_ORDER]


def column_kind(column: Any) -> str:
    """How a column's values are written to JSON: decided by the column type, never by the value's shape (a race
    plan may well contain a dict that looks like one of our markers)."""
    if isinstance(column.type, s.UtcDateTime):
        return "datetime"
    if isinstance(column.type, LargeBinary):
        return "blob"
    return "plain"


def encode_value(kind: str, value: Any, blobs: dict[str, bytes] | None) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        return value.astimezone(UTC).isoformat()
    if kind == "blob":
        data = bytes(value)
        digest = hashlib.sha256(data).hexdigest()
        if blobs is not None:
            blobs[digest] = data
        return digest
    return value


def decode_value(kind: str, value: Any, blobs: dict[str, bytes]) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "blob":
        try:
            return blobs[value]
        except KeyError:
            raise StoreError("backup_invalid", detail=f"missing file blobs/{value}") from None
    return value


def table_rows(conn: Connection, table: Table, blobs: dict[str, bytes] | None) -> list[dict[str, Any]]:
    pk = list(table.primary_key.columns)
    kinds = {c.name: column_kind(c) for c in table.columns}
    return [{k: encode_value(kinds[k], v, blobs) for k, v in row.items()}
            for row in conn.execute(select(table).order_by(*pk)).mappings()]


def canonical_dump(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table in primary-key order, binary values as their sha256."""
    with engine.connect() as conn:
        return {t.name: table_rows(conn, t, None) for t in ordered_tables()}
