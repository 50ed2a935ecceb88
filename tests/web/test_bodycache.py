"""The byte-bounded LRU behind the light pages' kept bodies: bounded in bytes, least recently used out first."""

from __future__ import annotations

import threading

from routes.web.bodycache import ByteBoundedLRU


def test_evicts_least_recently_used_to_stay_within_the_byte_bound():
    lru = ByteBoundedLRU(10)
    lru.put("a", (b"aaaa", None))
    lru.put("b", (b"bbbb", None))
    assert lru.get("a") == (b"aaaa", None)  # a is now the most recent
    lru.put("c", (b"cccc", None))  # 12 bytes: b goes
    assert lru.get("b") is None and lru.get("a") and lru.get("c")
    assert lru.total_bytes == 8 and len(lru) == 2


def test_replacing_a_key_counts_its_bytes_once_and_an_oversized_body_is_not_kept():
    lru = ByteBoundedLRU(10)
    lru.put("a", (b"aaaa", 1))
    lru.put("a", (b"aaaaaa", 2))
    assert lru.total_bytes == 6 and lru.get("a") == (b"aaaaaa", 2)
    lru.put("big", (b"x" * 11, None))
    assert lru.get("big") is None and lru.get("a") is not None


def test_many_threads_keep_the_count_exact():
    lru = ByteBoundedLRU(1000)

    def work(i: int) -> None:
        for j in range(200):
            lru.put((i, j % 30), (b"x" * (j % 17 + 1), None))
            lru.get((i, (j * 7) % 30))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert lru.total_bytes <= 1000
    assert lru.total_bytes == sum(len(lru.get(k)[0]) for k in list(lru._items))
