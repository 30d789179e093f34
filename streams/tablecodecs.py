"""Table values the worker reads on every event, decoded once and re-encoded only when they change.

Both caches tie a decoded value to the very object it was decoded from: the
memory store hands back what was stored, so an identity check proves the
cache current; after a recovery, or with a store that deserialises on each
read, the objects differ and the value is decoded afresh.

A ledger value is a claim key's :class:`~streams.models.LedgerState`, stored as
its JSON bytes: a bytes object costs a fraction of the memory of the same
value as nested dicts, and the changelog carries exactly those bytes. The
former value, the key's whole history as a JSON list of entries, is still
read (folded into a state), so a changelog written before the change
recovers. :class:`LedgerCodec` keeps the decoded state of recently used keys;
:class:`StoryCodec` does the same for each feed's story (``feeds.story``),
read and rewritten for every post.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import Any, Final

import orjson

from streams.models import LedgerEntry, LedgerState, Story
from streams.stages.ledger import fold_history

CACHED_ENTRIES: Final = 5_000
"""Decoded ledger entries kept across keys (least recently used keys go first): a bound on the cache's memory."""

_EMPTY: Final = LedgerState()


def decode_ledger(stored: bytes | None) -> LedgerState:
    """A ``claims.ledger`` value as a state (an empty one for a key without a value)."""
    if not stored:
        return _EMPTY
    if stored.lstrip()[:1] == b"[":  # the former value: the key's history, oldest first
        return fold_history(LedgerEntry.model_validate(item) for item in orjson.loads(stored))
    return LedgerState.model_validate_json(stored)


def ledger_stamp(stored: bytes) -> tuple[datetime | None, int | None]:
    """When a ``claims.ledger`` value was last written and its partition, read without decoding its entries."""
    value = orjson.loads(stored)
    if not isinstance(value, dict):
        return None, None
    updated_at, partition = value.get("updated_at"), value.get("partition")
    return (
        datetime.fromisoformat(updated_at) if isinstance(updated_at, str) else None,
        partition if isinstance(partition, int) else None,
    )


class LedgerCodec:
    """Decoded states of recently used claim keys, each tied to the stored bytes it came from."""

    def __init__(self, capacity: int = CACHED_ENTRIES) -> None:
        self._capacity = capacity
        self._recent: OrderedDict[bytes, tuple[bytes, LedgerState]] = OrderedDict()
        self._entries = 0

    def read(self, key: bytes, stored: bytes | None) -> LedgerState:
        """The state behind ``stored`` (from the cache when ``stored`` is the value it was made from)."""
        if stored is None:
            return _EMPTY
        hit = self._recent.get(key)
        if hit is not None and hit[0] is stored:
            self._recent.move_to_end(key)
            return hit[1]
        state = decode_ledger(stored)
        self._remember(key, stored, state)
        return state

    def write(self, key: bytes, state: LedgerState) -> bytes:
        """The value to store for ``state``."""
        stored = state.__pydantic_serializer__.to_json(state)
        self._remember(key, stored, state)
        return stored

    def forget(self, key: bytes) -> None:
        """Drop ``key``'s cached state (its value was deleted)."""
        old = self._recent.pop(key, None)
        if old is not None:
            self._entries -= len(old[1].entries)

    def _remember(self, key: bytes, stored: bytes, state: LedgerState) -> None:
        self.forget(key)
        self._recent[key] = (stored, state)
        self._entries += len(state.entries)
        while self._entries > self._capacity and len(self._recent) > 1:
            _, (_, dropped) = self._recent.popitem(last=False)
            self._entries -= len(dropped.entries)


STORY_FEEDS: Final = 4_096
"""Feeds whose decoded story is kept (least recently used go first)."""


class StoryCodec:
    """Decoded stories of recently read feeds, each tied to the stored value it came from."""

    def __init__(self, capacity: int = STORY_FEEDS) -> None:
        self._capacity = capacity
        self._recent: OrderedDict[str, tuple[dict[str, Any], Story]] = OrderedDict()

    def read(self, feed_id: str, stored: dict[str, Any] | None) -> Story | None:
        """The story behind ``stored`` (None for a feed without one)."""
        if not stored:
            return None
        hit = self._recent.get(feed_id)
        if hit is not None and hit[0] is stored:
            self._recent.move_to_end(feed_id)
            return hit[1]
        story = Story.model_validate(stored)
        self._remember(feed_id, stored, story)
        return story

    def write(self, feed_id: str, story: Story) -> dict[str, Any]:
        """The value to store for ``story``."""
        stored = story.model_dump(mode="json")
        self._remember(feed_id, stored, story)
        return stored

    def _remember(self, feed_id: str, stored: dict[str, Any], story: Story) -> None:
        self._recent.pop(feed_id, None)
        self._recent[feed_id] = (stored, story)
        if len(self._recent) > self._capacity:
            self._recent.popitem(last=False)
