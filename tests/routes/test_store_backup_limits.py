"""A restore unpacks a backup piece by piece: an entry that says or turns out to be too big is refused after at most
one piece in memory, never read whole, and the database is left as it was."""

from __future__ import annotations

import hashlib
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest

import routes.store.backup as backup
from routes.store import Store, StoreError
from routes.store.backup import restore_backup, write_backup

#: What the crafted entries unpack to: zeros, which deflate shrinks about a thousandfold (the issue's 2 GiB in 2 MB).
BOMB_BYTES = 24 * 1024 * 1024
#: The per-entry limit for these tests: small, so the bombs stay light; the real limit is a GiB.
TEST_ENTRY_LIMIT_BYTES = 2 * 1024 * 1024
#: Most a refused restore may allocate: a few unpacking pieces and the zip's bookkeeping, far below BOMB_BYTES.
MEMORY_BOUND_BYTES = 8 * 1024 * 1024


def _with_bomb(good: Path, out: Path) -> str:
    """``good`` plus one stored file of BOMB_BYTES zeros, named by its true sha256 like every blob."""
    zeros = bytes(BOMB_BYTES)
    name = f"blobs/{hashlib.sha256(zeros).hexdigest()}"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr(name, zeros)
    return name


def _declare_size(path: Path, name: str, size: int) -> None:
    """Make the zip's headers claim ``size`` unpacked bytes for ``name`` (the data stays as it is)."""
    data = bytearray(path.read_bytes())
    raw = name.encode()
    local = data.find(b"PK\x03\x04")
    while local != -1:
        (name_len,) = struct.unpack_from("<H", data, local + 26)
        if data[local + 30:local + 30 + name_len] == raw:
            struct.pack_into("<I", data, local + 22, size)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        (name_len,) = struct.unpack_from("<H", data, central + 28)
        if data[central + 46:central + 46 + name_len] == raw:
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def _refused_with_peak(store: Store, path: Path) -> tuple[StoreError, int]:
    tracemalloc.start()
    try:
        with pytest.raises(StoreError) as err:
            restore_backup(store.engine, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return err.value, peak


@pytest.fixture
def good(store: Store, tmp_path: Path) -> Path:
    path = tmp_path / "good.zip"
    write_backup(store.engine, path)
    return path


def test_an_entry_declaring_more_than_the_limit_is_refused_unread(store: Store, good: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "BACKUP_MAX_ENTRY_BYTES", TEST_ENTRY_LIMIT_BYTES)
    bomb = tmp_path / "bomb.zip"
    name = _with_bomb(good, bomb)
    assert bomb.stat().st_size < BOMB_BYTES / 100  # a small file that expands
    before = store.dump_canonical()
    err, peak = _refused_with_peak(store, bomb)
    assert err.key == "backup_entry_too_big"
    assert name in err.message("en") and "2 MB" in err.message("en") and "2 MB" in err.message("zh")
    assert peak < MEMORY_BOUND_BYTES, peak
    assert store.dump_canonical() == before


def test_the_whole_backup_is_bounded_too(store: Store, good: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "BACKUP_MAX_UNPACKED_BYTES", TEST_ENTRY_LIMIT_BYTES)
    bomb = tmp_path / "bomb.zip"
    _with_bomb(good, bomb)
    before = store.dump_canonical()
    err, peak = _refused_with_peak(store, bomb)
    assert err.key == "backup_too_big" and peak < MEMORY_BOUND_BYTES
    assert store.dump_canonical() == before


def test_an_entry_that_unpacks_to_more_than_its_header_says_costs_no_memory(store: Store, good: Path,
                                                                           tmp_path: Path) -> None:
    """The header says 1 kB, the data unpacks to BOMB_BYTES: reading stops where the header said, and the damage
    is reported, without the rest ever being unpacked."""
    bomb = tmp_path / "liar.zip"
    name = _with_bomb(good, bomb)
    _declare_size(bomb, name, 1024)
    assert zipfile.ZipFile(bomb).getinfo(name).file_size == 1024
    before = store.dump_canonical()
    err, peak = _refused_with_peak(store, bomb)
    assert err.key == "backup_invalid" and peak < MEMORY_BOUND_BYTES, (err, peak)
    assert store.dump_canonical() == before


def test_reading_stops_one_piece_past_the_limit_whatever_the_header_says(
        good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader counts what it unpacks: with the header check out of the way, an entry over the limit is still
    stopped after one piece beyond it, not read whole."""
    bomb = tmp_path / "bomb.zip"
    name = _with_bomb(good, bomb)
    monkeypatch.setattr(backup, "BACKUP_MAX_ENTRY_BYTES", TEST_ENTRY_LIMIT_BYTES)
    with zipfile.ZipFile(bomb) as zf:
        tracemalloc.start()
        try:
            with pytest.raises(StoreError) as err:
                backup._EntryReader(zf)(name)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert err.value.key == "backup_entry_too_big"
    assert peak < TEST_ENTRY_LIMIT_BYTES + 3 * backup.BACKUP_READ_CHUNK_BYTES, peak


def test_a_real_backup_still_restores_under_the_limits(store: Store, good: Path) -> None:
    before = store.dump_canonical()
    restore_backup(store.engine, good)
    assert {k: v for k, v in store.dump_canonical().items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"}
    assert backup.BACKUP_MAX_ENTRY_BYTES < 2 * 1024**3  # the 2 GiB entry is refused before it is read
