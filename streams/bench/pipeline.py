"""Rows that drive real workers: the framework floor, the pipeline, memory, latency and scale-out."""

from __future__ import annotations

import asyncio
import contextlib
import math
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer
from kafka.admin import KafkaAdminClient

from streams.bench.kafkarows import Progress, Rate, Ticker, TopicSizes, partitions_of, produce_all, producer
from streams.bench.workload import BenchPost, generate
from streams.kafkaio import ensure_topics
from streams.runner import WorkerProcess
from streams.topics import ALERTS, CLAIMS_EVENTS, POSTS_ENRICHED, POSTS_RAW, PUBLIC_TOPICS

POLL_S = 0.25
PARTITIONS = 4
_READY_TIMEOUT_S = 180.0
STALL_S = 300.0


@dataclass(frozen=True)
class Stage:
    """Where a bench phase runs: broker, a unique name (app id and topic prefix), a folder for logs and data."""

    bootstrap: str
    name: str
    folder: Path

    @property
    def prefix(self) -> str:
        """Topic prefix of this phase."""
        return f"{self.name}."

    def topic(self, name: str) -> str:
        """Broker-side name of a registry topic in this phase."""
        return f"{self.prefix}{name}"


def drop_topics(bootstrap: str, *starts: str) -> None:
    """Delete every topic whose name starts with one of ``starts`` (a phase's topics and changelogs)."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap.split(","), client_id="livewire-bench-admin")
    try:
        doomed = [name for name in admin.list_topics() if name.startswith(starts)]
        if doomed:
            admin.delete_topics(doomed)
    finally:
        admin.close()


def _pipeline_env(stage: Stage) -> dict[str, str]:
    return {
        "LIVEWIRE_BROKER": stage.bootstrap,
        "LIVEWIRE_APP_ID": stage.name,
        "LIVEWIRE_TOPIC_PREFIX": stage.prefix,
        "LIVEWIRE_PARTITIONS": str(PARTITIONS),
        "LIVEWIRE_DATA_DIR": str(stage.folder / "data"),
    }


@contextlib.contextmanager
def workers(
    stage: Stage, count: int, *, args: tuple[str, ...] | None = None, env: dict[str, str] | None = None
) -> Iterator[list[WorkerProcess]]:
    """``count`` worker processes in one consumer group, ready on entry, stopped (by pid) on exit."""
    started: list[WorkerProcess] = []
    try:
        for i in range(count):
            worker_env = {**_pipeline_env(stage), **(env or {})}
            worker_env["LIVEWIRE_DATA_DIR"] = str(stage.folder / f"data-{i}")
            process = WorkerProcess(env=worker_env, log_path=stage.folder / f"worker-{i}.log")
            if args is not None:
                process.args = args
            process.start()
            started.append(process)
        for process in started:
            process.wait_ready(timeout=_READY_TIMEOUT_S)
        yield started
    finally:
        for process in started:
            process.stop()


@dataclass
class Counts:
    """Totals read from the workers' /metrics."""

    validated: int = 0
    enriched: int = 0
    ledger: int = 0
    tables: dict[str, float] = field(default_factory=dict)


def read_counts(processes: list[WorkerProcess]) -> Counts:
    """Sum the stage counters of every worker."""
    counts = Counts()
    for process in processes:
        for (name, labels), value in process.metrics().items():
            labelled = dict(labels)
            if name == "streams_messages_total":
                stage = labelled.get("stage")
                if stage == "validate":
                    counts.validated += int(value)
                elif stage == "enrich":
                    counts.enriched += int(value)
                elif stage == "ledger":
                    counts.ledger += int(value)
            elif name == "streams_table_keys":
                table = labelled.get("table", "?")
                counts.tables[table] = counts.tables.get(table, 0.0) + value
    return counts


def peak_rss_mb(pid: int) -> tuple[float, float]:
    """(peak, current) resident set size of a process in MB, from /proc."""
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmHWM", "VmRSS"):
            fields[name] = int(value.split()[0]) / 1024
    return fields.get("VmHWM", 0.0), fields.get("VmRSS", 0.0)


async def worker_counts(processes: list[WorkerProcess]) -> Counts:
    """The workers' counters; a busy worker may answer /metrics slowly, so a timeout is retried."""
    deadline = time.monotonic() + _READY_TIMEOUT_S
    while True:
        try:
            return await asyncio.to_thread(read_counts, processes)
        except OSError:  # URLError and TimeoutError are OSErrors
            if time.monotonic() > deadline:
                raise
        await asyncio.sleep(POLL_S)


async def warm_up(stage: Stage, processes: list[WorkerProcess], *, posts: int = 200) -> None:
    """Send a few posts and wait until they are handled: consumers are assigned and running."""
    start = datetime.now(UTC) - timedelta(hours=12)
    before = (await worker_counts(processes)).validated
    await produce_all(
        stage.bootstrap,
        stage.topic(POSTS_RAW),
        list(generate(posts, seed=99, start=start, id_prefix="w")),
        progress=lambda _: None,
    )
    deadline = time.monotonic() + _READY_TIMEOUT_S
    while (await worker_counts(processes)).validated < before + posts:
        if time.monotonic() > deadline:
            msg = f"warm-up posts not handled after {_READY_TIMEOUT_S:.0f}s"
            raise RuntimeError(msg)
        await asyncio.sleep(POLL_S)


class Stall:
    """Raises when a count has not moved for too long, so a stuck worker fails the bench instead of hanging it."""

    def __init__(self, limit_s: float = STALL_S) -> None:
        self._limit = limit_s
        self._last = -1
        self._since = time.monotonic()

    def check(self, count: int, processes: list[WorkerProcess] | None = None) -> None:
        """Note ``count``; raise (with the workers' log tails) when it has not changed within the limit."""
        now = time.monotonic()
        if count != self._last:
            self._last, self._since = count, now
            return
        if now - self._since > self._limit:
            tails = "\n".join(p.log_tail() for p in processes or [])
            msg = f"no progress for {self._limit:.0f}s (stuck at {count:,})\n{tails}"
            raise RuntimeError(msg)


@dataclass(frozen=True)
class Throughput:
    """How fast the workers took a load: to posts.enriched, and until every claim reached the ledger."""

    enriched: Rate
    alerts: Rate
    rss_curve: list[tuple[int, float]]


async def throughput(
    stage: Stage, processes: list[WorkerProcess], posts: list[BenchPost], *, progress: Progress, label: str
) -> Throughput:
    """Load ``posts`` while the workers run; time from the first handled post to the last, and to the ledger's end.

    Counted from the workers' own counters, interpolated from the first poll that
    saw progress, so start-up and the load's first second are not in the figure.
    """
    base = (await worker_counts(processes)).validated
    target = base + len(posts)
    loading = asyncio.create_task(produce_all(stage.bootstrap, stage.topic(POSTS_RAW), posts, progress=progress))
    first: tuple[float, int] | None = None
    enriched_at: float | None = None
    ticker = Ticker(progress, label)
    rss_curve: list[tuple[int, float]] = []
    next_rss = 0
    stalled = Stall()
    async with TopicSizes(stage.bootstrap) as sizes:
        while True:
            counts = await worker_counts(processes)
            now = time.monotonic()
            done = counts.validated - base
            if first is None and done > 0:
                first = (now, done)
            if first is not None:
                ticker.tick(done, len(posts), first[0])
            if done >= next_rss:
                rss_curve.append((done, sum(peak_rss_mb(p.process.pid)[1] for p in processes if p.process)))
                next_rss += max(1, len(posts) // 10)
            if loading.done() and loading.exception() is not None:
                msg = "loading the posts failed"
                raise RuntimeError(msg) from loading.exception()
            stalled.check(counts.validated + counts.ledger, processes)
            if enriched_at is None and counts.validated >= target:
                enriched_at = now
                await loading
            if enriched_at is not None and counts.ledger >= await sizes.total(stage.topic(CLAIMS_EVENTS)):
                break
            await asyncio.sleep(POLL_S)
    assert first is not None and enriched_at is not None
    return Throughput(
        enriched=Rate(len(posts) - first[1], enriched_at - first[0]),
        alerts=Rate(len(posts) - first[1], now - first[0]),
        rss_curve=rss_curve,
    )


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of ``values`` by the nearest-rank method; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    # The smallest value with at least q of all values at or below it (a tiny epsilon absorbs float error).
    rank = max(0, min(len(ordered) - 1, math.ceil(q * len(ordered) - 1e-9) - 1))
    return ordered[rank]


@dataclass(frozen=True)
class Latency:
    """End-to-end latency at one offered load, in milliseconds."""

    offered: float
    achieved: float
    seconds: float
    enriched_ms: dict[str, float]
    alerts_ms: dict[str, float]
    enriched_count: int
    alerts_count: int
    missing: int


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": percentile(values, 0.50),
        "p95": percentile(values, 0.95),
        "p99": percentile(values, 0.99),
        "max": max(values) if values else float("nan"),
        "mean": statistics.fmean(values) if values else float("nan"),
    }


async def latency(stage: Stage, *, rate: float, seconds: float, drain: float, progress: Progress) -> Latency:
    """Send posts at ``rate`` per second for ``seconds``; time each from its ingest stamp to its outputs."""
    count = round(rate * seconds)
    tag = f"l{round(rate)}-"
    posts = list(generate(count, seed=round(rate), start=datetime.now(UTC), step=1 / rate, id_prefix=tag))
    expected = sum(1 for p in posts if p.kind in ("new", "edit"))
    outputs = [stage.topic(POSTS_ENRICHED), stage.topic(ALERTS)]
    consumer = AIOKafkaConsumer(
        bootstrap_servers=stage.bootstrap, client_id="livewire-bench-latency", enable_auto_commit=False
    )
    await consumer.start()
    enriched: list[float] = []
    alerts: list[float] = []
    try:
        partitions = [tp for topic in outputs for tp in await partitions_of(consumer, topic)]
        consumer.assign(partitions)
        await consumer.seek_to_end(*partitions)
        for tp in partitions:
            await consumer.position(tp)
        sending = asyncio.create_task(_paced_send(stage, posts, rate, progress))
        last_alert = time.monotonic()
        sent_at = 0.0
        while True:
            batches = await consumer.getmany(timeout_ms=100)
            received = time.time()
            for tp, records in batches.items():
                sink = enriched if tp.topic == outputs[0] else alerts
                for record in records:
                    post = orjson.loads(record.value or b"{}").get("post") or {}
                    stamp = post.get("ingested_at")
                    if stamp and str(post.get("post_id", "")).startswith(tag):
                        sink.append((received - datetime.fromisoformat(stamp).timestamp()) * 1000)
                        if sink is alerts:
                            last_alert = time.monotonic()
            if sending.done():
                sent_seconds = sending.result()
                sent_at = sent_at or time.monotonic()
                if len(enriched) >= expected and time.monotonic() - last_alert > 2.0:
                    break
                if time.monotonic() - sent_at > drain:
                    break  # report what has not arrived as missing
    finally:
        await consumer.stop()
    return Latency(
        offered=rate,
        achieved=count / sent_seconds if sent_seconds else 0.0,
        seconds=sent_seconds,
        enriched_ms=_summary(enriched),
        alerts_ms=_summary(alerts),
        enriched_count=len(enriched),
        alerts_count=len(alerts),
        missing=max(0, expected - len(enriched)),
    )


async def _paced_send(stage: Stage, posts: list[BenchPost], rate: float, progress: Progress) -> float:
    """Send posts one by one at ``rate`` per second, each stamped with its ingest time; return the seconds taken."""
    client = producer(stage.bootstrap, linger_ms=0)
    await client.start()
    try:
        topic = stage.topic(POSTS_RAW)
        started = time.monotonic()
        ticker = Ticker(progress, f"latency @ {rate:,.0f}/s")
        pending = []
        for i, post in enumerate(posts):
            delay = started + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)  # pacing the offered load, not synchronisation
            pending.append(await client.send(topic, post.encode(ingested_at=datetime.now(UTC)), key=post.key))
            ticker.tick(i + 1, len(posts), started)
        await asyncio.gather(*pending)
        return time.monotonic() - started
    finally:
        await client.stop()


def prepare(stage: Stage) -> None:
    """Create a phase's topics (as the worker would) so posts can be loaded before it starts."""
    stage.folder.mkdir(parents=True, exist_ok=True)
    names = [stage.topic(name) for name in PUBLIC_TOPICS]
    ensure_topics(stage.bootstrap, names, partitions=PARTITIONS, replication_factor=1)


def pipeline_posts(count: int, *, seed: int = 7) -> list[BenchPost]:
    """The throughput workload: ``count`` posts published over the last hours, one every 0.1 s."""
    start = datetime.now(UTC) - timedelta(seconds=count * 0.1 + 3600)
    return list(generate(count, seed=seed, start=start, step=0.1))
