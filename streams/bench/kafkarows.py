"""Kafka plumbing of the bench: load a topic, watch topic sizes, and the bare aiokafka ceiling."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from streams.bench.workload import BenchPost

Progress = Callable[[str], None]

PROGRESS_EVERY_S = 3.0


@dataclass(frozen=True)
class Rate:
    """Posts handled over a span of seconds."""

    posts: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Posts per second (0 for an empty span)."""
        return self.posts / self.seconds if self.seconds > 0 else 0.0


class Ticker:
    """Calls ``progress`` at most every few seconds, so a long phase shows it is alive."""

    def __init__(self, progress: Progress, label: str) -> None:
        self._progress = progress
        self._label = label
        self._next = time.monotonic() + PROGRESS_EVERY_S

    def tick(self, done: int, total: int, started: float) -> None:
        """Report ``done`` of ``total`` and the rate since ``started`` (a monotonic time), if it is time to."""
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + PROGRESS_EVERY_S
        rate = done / (now - started) if now > started else 0.0
        self._progress(f"  {self._label}: {done:,}/{total:,} ({rate:,.0f}/s)")


def producer(bootstrap: str, *, acks: int | str = "all", linger_ms: int = 5) -> AIOKafkaProducer:
    """An aiokafka producer for the bench (batched; acks from every replica unless told otherwise)."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks=acks,
        linger_ms=linger_ms,
        max_batch_size=256 * 1024,
        max_request_size=1024 * 1024,
        client_id="livewire-bench",
    )


async def produce_all(bootstrap: str, topic: str, posts: Iterable[BenchPost], *, progress: Progress) -> int:
    """Send every post to ``topic`` as fast as the broker takes them; return how many were acknowledged."""
    sent = 0
    client = producer(bootstrap, linger_ms=20)
    await client.start()
    try:
        total = len(posts) if isinstance(posts, list) else 0
        ticker = Ticker(progress, f"loading {topic}")
        started = time.monotonic()
        pending = []
        for post in posts:
            pending.append(await client.send(topic, post.encode(), key=post.key))
            sent += 1
            if len(pending) >= 5000:
                await asyncio.gather(*pending)
                pending.clear()
                ticker.tick(sent, total or sent, started)
        await asyncio.gather(*pending)
    finally:
        await client.stop()
    return sent


async def partitions_of(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    """Every partition of ``topic`` (asks the broker when the consumer's metadata does not know it yet)."""
    numbers = consumer.partitions_for_topic(topic)
    if not numbers:
        await consumer._client.force_metadata_update()  # no public way to refresh
        numbers = consumer.partitions_for_topic(topic) or set()
    if not numbers:
        msg = f"topic {topic} does not exist"
        raise LookupError(msg)
    return [TopicPartition(topic, n) for n in sorted(numbers)]


class TopicSizes:
    """Reads how many records topics hold (sum of end offsets), without joining any group."""

    def __init__(self, bootstrap: str) -> None:
        self._consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, client_id="livewire-bench-sizes")
        self._partitions: dict[str, list[TopicPartition]] = {}

    async def __aenter__(self) -> TopicSizes:
        await self._consumer.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._consumer.stop()

    async def total(self, *topics: str) -> int:
        """Records written so far to ``topics`` (all partitions, all of them together)."""
        wanted: list[TopicPartition] = []
        for topic in topics:
            if topic not in self._partitions:
                self._partitions[topic] = await partitions_of(self._consumer, topic)
            wanted.extend(self._partitions[topic])
        offsets = await self._consumer.end_offsets(wanted)
        return int(sum(offsets.values()))


async def ceiling(bootstrap: str, source: str, sink: str, count: int, *, progress: Progress) -> Rate:
    """A bare aiokafka loop: consume ``count`` records of ``source``, produce the same bytes to ``sink``.

    It commits after every poll and waits for every send's acknowledgement
    before each commit, like an at-least-once stream processor must: this is
    what Python on this machine can move with no framework at all.
    """
    consumer = AIOKafkaConsumer(
        source,
        bootstrap_servers=bootstrap,
        group_id=f"{sink}-ceiling",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_poll_records=500,
        client_id="livewire-bench-ceiling",
    )
    client = producer(bootstrap)
    await consumer.start()
    await client.start()
    try:
        moved = 0
        started = 0.0
        ticker = Ticker(progress, "ceiling")
        while moved < count:
            batches = await consumer.getmany(timeout_ms=1000, max_records=500)
            if not batches:
                continue
            if not started:
                started = time.monotonic()
            pending = []
            for records in batches.values():
                for record in records:
                    pending.append(await client.send(sink, record.value, key=record.key))
            await asyncio.gather(*pending)
            await consumer.commit()
            moved += len(pending)
            ticker.tick(moved, count, started)
        return Rate(moved, time.monotonic() - started)
    finally:
        await client.stop()
        await consumer.stop()
