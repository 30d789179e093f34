"""The faust producer-buffer fix: a flush before an offset commit must leave nothing buffered."""

from __future__ import annotations

import asyncio
import contextlib
from types import SimpleNamespace
from typing import Any

import pytest
from faust.exceptions import PartitionsMismatch
from faust.transport.producer import ProducerBuffer

from streams import faustfixes

# Longer than faust's own 0.1 s give-up, so an unpatched flush returns with messages left.
SLOW_SEND_S = 0.25


async def _flush_slow_buffer(messages: int) -> int:
    """Buffer ``messages`` that each take SLOW_SEND_S to hand over, flush, and return how many are left."""
    buffer = ProducerBuffer()
    buffer.app = SimpleNamespace(conf=SimpleNamespace(producer_threaded=False))  # type: ignore[assignment]

    async def slow_send(_message: Any) -> None:
        await asyncio.sleep(SLOW_SEND_S)

    buffer._send_pending = slow_send  # type: ignore[method-assign]
    await buffer.start()
    try:
        for number in range(messages):
            buffer.put(number)  # type: ignore[arg-type]
        await buffer.flush()
        return buffer.size
    finally:
        # Stopping flushes again; faust's unpatched flush raises then if messages are left.
        with contextlib.suppress(RuntimeError):
            await buffer.stop()


def test_flush_drains_every_buffered_message_even_when_each_send_is_slow() -> None:
    faustfixes.apply()
    assert asyncio.run(_flush_slow_buffer(3)) == 0


def test_apply_is_idempotent() -> None:
    faustfixes.apply()
    faustfixes.apply()
    assert ProducerBuffer.flush is faustfixes.drain_fully  # type: ignore[comparison-overlap]


class _Consumer:
    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts

    def topic_partitions(self, topic: str) -> int | None:
        return self.counts.get(topic)


def _table(counts: dict[str, int]) -> Any:
    """The attributes faust's partition check reads from a table."""
    return SimpleNamespace(
        app=SimpleNamespace(consumer=_Consumer(counts)),
        name="feeds.story",
        changelog_topic_name="app-feeds.story-changelog",
        _verified_source_topics_for_partitions=set(),
    )


def test_a_changelog_missing_from_the_metadata_snapshot_is_not_a_mismatch() -> None:
    table = _table({"posts.raw": 4, "app-feeds.story-changelog": 0})
    faustfixes.verify_known_partitions(table, "posts.raw")
    # Not cached as verified: the next write checks again once the metadata knows the topic.
    assert table._verified_source_topics_for_partitions == set()


def test_a_real_mismatch_still_raises_and_a_match_is_cached() -> None:
    mismatched = _table({"posts.raw": 4, "app-feeds.story-changelog": 2})
    with pytest.raises(PartitionsMismatch):
        faustfixes.verify_known_partitions(mismatched, "posts.raw")
    matched = _table({"posts.raw": 4, "app-feeds.story-changelog": 4})
    faustfixes.verify_known_partitions(matched, "posts.raw")
    assert matched._verified_source_topics_for_partitions == {"posts.raw"}
