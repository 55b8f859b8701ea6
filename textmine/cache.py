"""A small bounded cache: the newest `keep` entries by last use, thread-safe. One class for every cache that
keeps file contents or results per project (snapshots, keywords, survey tables, configs, review models)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """`get(key, make)`: the value kept under `key`, else `make()` kept and returned; the least recently used
    entries beyond `keep` are dropped (`on_drop(key, value)` is told). `make` runs outside the lock, so a slow
    computation does not hold up other keys; two threads missing the same key may both compute it."""

    def __init__(self, keep: int, on_drop: Callable[[K, V], None] | None = None):
        self.keep = keep
        self.on_drop = on_drop
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, make: Callable[[], V]) -> V:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        self.put(key, value)
        return value

    def peek(self, key: K, default: V | None = None) -> V | None:
        """The value under `key` (counted as a use), or `default`."""
        with self._lock:
            if key not in self._items:
                return default
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            dropped = [self._items.popitem(last=False) for _ in range(len(self._items) - self.keep)]
        for k, v in dropped:
            if self.on_drop is not None:
                self.on_drop(k, v)

    def items(self) -> list[tuple[K, V]]:
        """The entries kept, least recently used first (a copy; not counted as uses)."""
        with self._lock:
            return list(self._items.items())

    def __contains__(self, key: K) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
