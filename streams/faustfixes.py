"""Fixes to faust-streaming behaviour that would otherwise lose state; applied once, when the app is built.

faust-streaming 0.15 ``ProducerBuffer.flush()`` returns as soon as one buffered
message takes longer than 0.1 s to hand over (``flush_atmost`` treats that timeout
as "done"). The consumer calls ``producer.flush()`` right before committing
offsets, so under load it could commit an event whose table write (a changelog
message, queued by ``table[key] = value``) was still in the buffer. A crash at that
moment loses the write for good: the event is never replayed, and the ledger then
re-alerts an old claim as new. The reliability oracle caught it (two-workers test).

Patched here: ``flush()`` drains until the buffer is empty. ``flush_atmost(n)``,
used for back-pressure, is left as it is.

Second, a table write checks once that the changelog has as many partitions as
the source topic, reading the count from the consumer's metadata snapshot. A
topic missing from that snapshot counts as 0 partitions there (not "unknown"),
so the check raised ``PartitionsMismatch`` on every write until the next metadata
refresh: the agent crash-looped and its partitions stalled. Patched: a count of
0 is treated as unknown, so the check is skipped and made again on a later write.
"""

from __future__ import annotations

import asyncio

from faust.tables.base import Collection
from faust.transport.producer import ProducerBuffer

_verify_partitions_strictly = Collection._verify_source_topic_partitions

# How often a waiting flush re-checks that the producer is still running.
_RECHECK_S = 1.0


async def drain_fully(buffer: ProducerBuffer) -> None:
    """Wait until every buffered message has been handed to the Kafka client.

    Raises:
        RuntimeError: the producer stopped while messages were still buffered
            (as faust's own flush does).
    """
    while buffer.size:
        if buffer.state != "running":
            msg = "Cannot flush: Producer not Running"
            raise RuntimeError(msg)
        buffer.message_sent.clear()
        try:
            await asyncio.wait_for(buffer.message_sent.wait(), timeout=_RECHECK_S)
        except TimeoutError:
            continue  # still running and still sending: keep waiting


def verify_known_partitions(table: Collection, source_topic: str) -> None:
    """The source/changelog partition check of faust, skipped while either count is not yet in the metadata."""
    if source_topic in table._verified_source_topics_for_partitions:
        return  # the hot path: every table write after the first
    topic_partitions = table.app.consumer.topic_partitions
    if not topic_partitions(source_topic) or not topic_partitions(table.changelog_topic_name):
        return  # 0 or None: not known yet; not cached as verified, so a later write checks again
    _verify_partitions_strictly(table, source_topic)


def apply() -> None:
    """Install the fixes (idempotent)."""
    ProducerBuffer.flush = drain_fully  # type: ignore[method-assign, assignment]
    Collection._verify_source_topic_partitions = verify_known_partitions  # type: ignore[method-assign, assignment]
