"""A thread-safe least-recently-used map bounded by the total size of its values in bytes.

The light pages keep their rendered bodies here: every request runs in a worker thread, so the map takes a lock, and
the bound is in bytes rather than entries because a page is a few kB and a GPX download can be a few MB.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class ByteBoundedLRU:
    """Values are ``(body: bytes, extra)`` pairs; the bytes of the bodies count against ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[bytes, object]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[bytes, object] | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: tuple[bytes, object]) -> None:
        size = len(value[0])
        if size > self.max_bytes:
            return  # would evict everything else and still not fit
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old[0])
            self._items[key] = value
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, evicted = self._items.popitem(last=False)
                self._bytes -= len(evicted[0])

    def drop_where(self, doomed: Callable[[Hashable], bool]) -> None:
        """Forget every entry whose key ``doomed`` says yes to."""
        with self._lock:
            for key in [k for k in self._items if doomed(k)]:
                self._bytes -= len(self._items.pop(key)[0])

    @property
    def total_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


class PerHostLRU:
    """A :class:`ByteBoundedLRU` whose entries also belong to a host name, with at most ``max_hosts`` hosts at once.

    A page's links name the host it was asked for, so its body is kept per host; the Host header is whatever a client
    sends, so without this bound made-up names would each keep a copy. A new host beyond the bound evicts every entry
    of the least recently used host: it is still answered, and a busy real host stays.
    """

    def __init__(self, max_bytes: int, max_hosts: int) -> None:
        self.max_hosts = max_hosts
        self._bodies = ByteBoundedLRU(max_bytes)
        self._hosts: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()  # taken before the bodies' own lock, never after it

    def get(self, host: str, key: Hashable) -> tuple[bytes, object] | None:
        with self._lock:
            if host not in self._hosts:
                return None
            self._hosts.move_to_end(host)
            return self._bodies.get((host, key))

    def put(self, host: str, key: Hashable, value: tuple[bytes, object]) -> None:
        with self._lock:
            self._hosts[host] = None
            self._hosts.move_to_end(host)
            while len(self._hosts) > self.max_hosts:
                gone, _ = self._hosts.popitem(last=False)
                self._bodies.drop_where(lambda k, gone=gone: k[0] == gone)
            self._bodies.put((host, key), value)

    def hosts(self) -> list[str]:
        """The hosts whose entries may be kept (at most ``max_hosts``), least recently used first."""
        with self._lock:
            return list(self._hosts)

    @property
    def total_bytes(self) -> int:
        return self._bodies.total_bytes

    def __len__(self) -> int:
        return len(self._bodies)

    def clear(self) -> None:
        with self._lock:
            self._hosts.clear()
            self._bodies.clear()
