"""A count bound on the dedupe table (``posts.seen``), on top of its time window.

Dedupe entries expire after ``dedupe_window_hours``; when more posts than
memory allows arrive within that window, the oldest entries go first. The
bound is kept per partition, because a table key can only be deleted while an
event of its own partition is being handled (faust sends the delete to that
partition's changelog and, with RocksDB, removes it from that partition's
shard). A dropped entry means a very late re-delivery passes dedupe again: a
duplicate downstream, never a lost post.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable


class SeenWindow:
    """The dedupe keys each partition wrote, oldest first, and which of them are over the bound."""

    def __init__(self, max_entries: int, partitions: int) -> None:
        self.per_partition = max(1, max_entries // max(1, partitions))
        self._keys: dict[int, OrderedDict[str, None]] = {}

    def note(self, partition: int, keys: Iterable[str]) -> None:
        """Record that ``keys`` were (re)written while handling an event of ``partition``."""
        recent = self._keys.setdefault(partition, OrderedDict())
        for key in keys:
            recent[key] = None
            recent.move_to_end(key)

    def overflow(self, partition: int) -> list[str]:
        """Forget and return the partition's oldest keys beyond the bound (the caller deletes them)."""
        recent = self._keys.get(partition)
        if recent is None:
            return []
        excess = len(recent) - self.per_partition
        return [recent.popitem(last=False)[0] for _ in range(excess)] if excess > 0 else []
