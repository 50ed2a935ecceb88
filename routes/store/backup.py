"""Whole-database backup and restore: a zip of one JSON file per table plus the binary files (GPX, photos) by sha256.

The format does not depend on the backend, so a backup of the SQLite database restores into PostgreSQL and back:
this is also how a one-machine installation moves to several servers.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, StatementError

from routes.store import schema as s
from routes.store.db import WRITE_OPTION
from routes.store.dump import column_kind, decode_value, ordered_tables, table_rows
from routes.store.errors import StoreError

BACKUP_FORMAT = "tianxiang-guide-backup"
BACKUP_FORMAT_VERSION = 1
#: Owner read/write only: a backup holds password hashes, drafts and the whole history.
BACKUP_FILE_MODE = 0o600
#: Refuse to unpack more than this (a zip bomb is a small file that expands to fill the disk).
BACKUP_MAX_UNPACKED_BYTES = 8 * 1024**3
#: Largest single entry (one table's JSON or one stored file). A restore reads and parses each entry whole in memory,
#: where JSON takes several times its size as Python objects, so a bigger one could not be restored on the servers
#: this runs on anyway; real ones are far smaller (a stored file is at most 64 MB, and every table of a guide at its
#: POI limit, each POI with its longest texts and largest outline, stays under this).
BACKUP_MAX_ENTRY_BYTES = 1024**3
#: Entries are unpacked in pieces of this size and counted as they come, so an entry that unpacks to more than its
#: header says is stopped one piece past the limit instead of after the whole entry is in memory.
BACKUP_READ_CHUNK_BYTES = 1024 * 1024


def _older_revisions() -> tuple[str, ...]:
    """Schema revisions before the current one (newest first): their backups restore, newer columns filled in."""
    from alembic.script import ScriptDirectory

    from routes.store.migrate import _alembic_config

    script = ScriptDirectory.from_config(_alembic_config(None))  # type: ignore[arg-type]
    return tuple(r.revision for r in script.walk_revisions())[1:]


def _fill_value(column: Any) -> Any:
    """What a row from an older backup gets in a column added since: what the migration gave existing rows."""
    default = column.server_default
    if default is not None and isinstance(getattr(default, "arg", None), str):
        return default.arg
    if column.nullable:
        return None
    raise StoreError("backup_invalid", detail=f"column {column.table.name}.{column.name} has no value for old rows")


def write_backup(engine: Engine, out: str | Path) -> dict[str, int]:
    """Write the whole database to a zip file; returns the row count per table."""
    from routes.store.migrate import current_revision

    blobs: dict[str, bytes] = {}
    with engine.connect() as conn, conn.begin():  # one snapshot of every table
        revision = current_revision(conn)
        tables = {t.name: table_rows(conn, t, blobs) for t in ordered_tables()}
    manifest = {
        "format": BACKUP_FORMAT, "format_version": BACKUP_FORMAT_VERSION, "schema_revision": revision,
        "created_at": datetime.now(UTC).isoformat(), "tables": {k: len(v) for k, v in tables.items()},
        "blobs": len(blobs),
    }
    tmp = Path(str(out) + ".part")
    tmp.unlink(missing_ok=True)
    # Created owner-only (0600) before a byte is written: a backup holds password hashes and every draft. os.open
    # with the mode applies it at creation, so there is no moment when the file is world-readable.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, BACKUP_FILE_MODE)
    with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        for name, rows in tables.items():
            zf.writestr(f"tables/{name}.json", json.dumps(rows, ensure_ascii=False, allow_nan=False))
        for digest, data in sorted(blobs.items()):
            zf.writestr(f"blobs/{digest}", data)
    os.chmod(tmp, BACKUP_FILE_MODE)  # whatever the umask did
    tmp.replace(out)  # a half-written backup never carries the final name
    return manifest["tables"]


def _read_backup(path: str | Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]], dict[str, bytes]]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise StoreError("backup_invalid", detail=str(exc)) from None
    with zf:
        # The headers first (cheap, and most bombs say what they are), then every piece as it is unpacked: the
        # header's sizes are the file's own claim, not a promise.
        for info in zf.infolist():
            if info.file_size > BACKUP_MAX_ENTRY_BYTES:
                raise StoreError("backup_entry_too_big", entry=info.filename, limit_mb=BACKUP_MAX_ENTRY_BYTES / 2**20)
        if sum(i.file_size for i in zf.infolist()) > BACKUP_MAX_UNPACKED_BYTES:
            raise StoreError("backup_too_big", limit_gb=BACKUP_MAX_UNPACKED_BYTES / 2**30)
        read = _EntryReader(zf)
        try:
            manifest = json.loads(read("manifest.json"))
            if manifest.get("format") != BACKUP_FORMAT:
                raise StoreError("backup_invalid", detail="not a Tianxiang guide backup")
            if manifest.get("format_version") != BACKUP_FORMAT_VERSION:
                raise StoreError("backup_invalid", detail=f"format version {manifest.get('format_version')}")
            tables = {name: json.loads(read(f"tables/{name}.json")) for name in s.TABLE_ORDER}
            blobs = {}
            for info in zf.infolist():
                if info.filename.startswith("blobs/"):
                    data = read(info)
                    digest = info.filename[len("blobs/"):]
                    if hashlib.sha256(data).hexdigest() != digest:
                        raise StoreError("backup_invalid", detail=f"damaged file {info.filename}")
                    blobs[digest] = data
        except KeyError as exc:
            raise StoreError("backup_invalid", detail=f"missing {exc}") from None
        # A damaged or unusual entry: bad deflate data, cut short, encrypted, or a compression method we cannot read.
        except (json.JSONDecodeError, zipfile.BadZipFile, UnicodeDecodeError, zlib.error, EOFError, RuntimeError,
                NotImplementedError) as exc:
            raise StoreError("backup_invalid", detail=str(exc)) from None
    return manifest, tables, blobs


class _EntryReader:
    """Reads zip entries in pieces, counting every unpacked byte against the per-entry and the whole-file limits."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.total = 0

    def __call__(self, entry: str | zipfile.ZipInfo) -> bytes:
        info = entry if isinstance(entry, zipfile.ZipInfo) else self.zf.getinfo(entry)
        pieces: list[bytes] = []
        size = 0
        with self.zf.open(info) as fh:
            while piece := fh.read(BACKUP_READ_CHUNK_BYTES):
                size += len(piece)
                self.total += len(piece)
                if size > BACKUP_MAX_ENTRY_BYTES:
                    raise StoreError("backup_entry_too_big", entry=info.filename,
                                     limit_mb=BACKUP_MAX_ENTRY_BYTES / 2**20)
                if self.total > BACKUP_MAX_UNPACKED_BYTES:
                    raise StoreError("backup_too_big", limit_gb=BACKUP_MAX_UNPACKED_BYTES / 2**30)
                pieces.append(piece)
        return b"".join(pieces)


def restore_backup(engine: Engine, path: str | Path, *, user: str = "system") -> dict[str, int]:
    """Replace the whole content of the database with the backup, in one transaction (all or nothing)."""
    from routes.store.migrate import ensure_ready

    manifest, tables, blobs = _read_backup(path)
    ensure_ready(engine, seed=False)
    try:
        return _replace_content(engine, manifest, tables, blobs, user=user)
    except (StatementError, DBAPIError) as exc:  # rows that do not fit the schema: the transaction rolled back
        raise StoreError("backup_invalid", detail=str(getattr(exc, "orig", exc)).splitlines()[0]) from None


def _replace_content(engine: Engine, manifest: dict[str, Any], tables: dict[str, list[dict[str, Any]]],
                     blobs: dict[str, bytes], *, user: str) -> dict[str, int]:
    from routes.store.migrate import current_revision

    with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
        expected = current_revision(conn)
        found = manifest.get("schema_revision")
        # A backup of an older schema (taken before an upgrade) still restores: rows lacking the columns added since
        # get what the migrations gave existing rows. A newer or unknown schema is refused.
        older = found != expected and found in _older_revisions()
        if found != expected and not older:
            raise StoreError("backup_schema", found=found, expected=expected)
        routes = s.Base.metadata.tables["routes"]
        conn.execute(update(routes).values(current_revision_id=None))
        for table in reversed(ordered_tables()):
            conn.execute(delete(table))
        for name in s.EPHEMERAL_TABLES:  # not in backups: a restore signs everybody out and forgets failed sign-ins
            conn.execute(delete(s.Base.metadata.tables[name]))
        pointers = []
        for table in ordered_tables():
            kinds = {c.name: column_kind(c) for c in table.columns}
            if not isinstance(tables[table.name], list) or any(
                    not isinstance(row, dict) or set(row) - set(kinds) or (set(kinds) - set(row) and not older)
                    for row in tables[table.name]):
                raise StoreError("backup_invalid", detail=f"table {table.name}: rows do not match the schema")
            if older:
                tables[table.name] = [{**{c.name: _fill_value(c) for c in table.columns if c.name not in row}, **row}
                                      for row in tables[table.name]]
            try:
                rows = [{k: decode_value(kinds[k], v, blobs) for k, v in row.items()} for row in tables[table.name]]
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise StoreError("backup_invalid", detail=f"table {table.name}: {exc}") from None
            if table.name == "routes":
                pointers = [(r["id"], r["current_revision_id"]) for r in rows]
                rows = [{**r, "current_revision_id": None} for r in rows]
            if rows:
                conn.execute(insert(table), rows)
        for route_id, rev_id in pointers:
            if rev_id is not None:
                conn.execute(update(routes).where(routes.c.id == route_id).values(current_revision_id=rev_id))
        if conn.dialect.name == "postgresql":
            # Rows came with their ids; move each id sequence past them so new rows do not collide.
            for table in ordered_tables():
                col = table.c.get("id")
                if col is not None and isinstance(col.type, s.Integer):
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
        conn.execute(insert(s.AuditRow.__table__).values(
            at=datetime.now(UTC), user_name=user, action="database.restore", target="database",
            detail={"backup_created_at": manifest.get("created_at"), "tables": manifest.get("tables")}))
        counts = {name: conn.scalar(select(func.count()).select_from(s.Base.metadata.tables[name]))
                  for name in s.TABLE_ORDER}
    return counts
