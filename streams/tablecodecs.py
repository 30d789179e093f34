"""Table values the worker reads on every event, decoded once and re-encoded by what changed.

Both caches tie a decoded value to the very object it was decoded from: the
memory store hands back what was stored, so an identity check proves the
cache current; after a recovery, or with a store that deserialises on each
read, the objects differ and the value is decoded afresh.

A ledger value is a claim key's history as a list of JSON dicts (up to
``stages.ledger.MAX_HISTORY`` entries). Validating every entry back into
:class:`~streams.models.LedgerEntry` on each claim, and dumping them all again
after it, made a claim's cost grow with its key's history. :class:`LedgerCodec` keeps the
decoded history of recently used keys and encodes a new value as the old one
plus the appended entries. :class:`StoryCodec` does the same for each feed's
story (``feeds.story``), read and rewritten for every post.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Final

from streams.models import LedgerEntry, Story

StoredHistory = list[dict[str, Any]]

CACHED_ENTRIES: Final = 5_000
"""Decoded entries kept across keys (least recently used keys go first): a bound on the cache's memory."""


@dataclass
class PendingHistory:
    """One key's history while a batch of claim events is applied to it."""

    stored: StoredHistory
    history: list[LedgerEntry]
    appended: list[LedgerEntry] = field(default_factory=list)

    def advance(self, new_history: list[LedgerEntry]) -> None:
        """Take ``apply_claim``'s result: the same list, or the history plus one entry (oldest dropped)."""
        if new_history is not self.history:
            self.appended.append(new_history[-1])
            self.history = new_history

    @property
    def changed(self) -> bool:
        """Whether any claim was recorded (only then is the value written)."""
        return bool(self.appended)


class LedgerCodec:
    """Decoded histories of recently used claim keys, each tied to the stored value it came from."""

    def __init__(self, capacity: int = CACHED_ENTRIES) -> None:
        self._capacity = capacity
        self._recent: OrderedDict[bytes, tuple[StoredHistory, list[LedgerEntry]]] = OrderedDict()
        self._entries = 0

    def read(self, key: bytes, stored: StoredHistory) -> PendingHistory:
        """The history behind ``stored`` (from the cache when ``stored`` is the value it was made from)."""
        hit = self._recent.get(key)
        if hit is not None and hit[0] is stored:
            self._recent.move_to_end(key)
            return PendingHistory(stored, hit[1])
        history = [LedgerEntry.model_validate(item) for item in stored]
        self._remember(key, stored, history)
        return PendingHistory(stored, history)

    def write(self, key: bytes, pending: PendingHistory) -> StoredHistory:
        """The value to store for ``pending``'s history: the old dicts it kept plus its appended entries, dumped."""
        # apply_claim only appends and trims the oldest, so the new history is the tail
        # of (old history + appended), and the old dicts stand for the old entries.
        grown = [*pending.stored, *(entry.model_dump(mode="json") for entry in pending.appended)]
        value = grown[len(grown) - len(pending.history) :]
        self._remember(key, value, pending.history)
        return value

    def _remember(self, key: bytes, stored: StoredHistory, history: list[LedgerEntry]) -> None:
        old = self._recent.pop(key, None)
        if old is not None:
            self._entries -= len(old[1])
        self._recent[key] = (stored, history)
        self._entries += len(history)
        while self._entries > self._capacity and len(self._recent) > 1:
            _, (_, dropped) = self._recent.popitem(last=False)
            self._entries -= len(dropped)


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
