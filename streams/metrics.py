"""Prometheus metrics of the pipeline, bundled so tests can use a fresh registry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal, get_args

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info

Stage = Literal["validate", "dedupe", "enrich", "ledger", "subscriptions"]
Outcome = Literal["ok", "filtered", "duplicate", "dead_lettered", "retried"]
Since = Literal["ingested", "published"]
IngestOutcome = Literal[
    "accepted", "invalid", "unauthorized", "too_large", "unsupported_type", "disabled", "broker_error"
]

STAGE_BUCKETS: Final = (0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)
# Up to a day: a replayed archive's published_at can be days old, and +Inf alone says nothing.
LATENCY_BUCKETS: Final = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 60.0, 600.0, 3600.0, 86400.0)
WORKER_BUCKETS: Final = (0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

# Outcomes each stage can report, created at zero so that rates (the DLQ rate
# above all) read 0 instead of "no data" before the first such event.
STAGE_OUTCOMES: Final[Mapping[Stage, tuple[Outcome, ...]]] = {
    "validate": ("ok", "dead_lettered"),
    "dedupe": ("ok", "duplicate"),
    "enrich": ("ok", "dead_lettered"),
    "ledger": ("ok", "filtered", "dead_lettered", "retried"),
}

TopicPartition = tuple[str, int]


def consumer_lag(
    highwaters: Mapping[TopicPartition, int],
    committed: Mapping[TopicPartition, int | None],
) -> dict[TopicPartition, int]:
    """Messages not yet processed per partition: log end offset minus the group's committed offset.

    A partition the group never committed counts from offset 0, where the worker
    starts reading (``auto_offset_reset=earliest``); that overstates the lag only
    if retention already trimmed the partition's start. Pure.
    """
    return {tp: max(0, end - (committed.get(tp) or 0)) for tp, end in highwaters.items()}


@dataclass(frozen=True)
class StreamsMetrics:
    """Every metric the workers export; labels are bounded sets, never ids."""

    messages: Counter
    stage_seconds: Histogram
    alerts: Counter
    alert_latency: Histogram
    table_keys: Gauge
    consumer_lag: Gauge
    assigned_partitions: Gauge
    worker: Info
    rebalances: Counter
    rebalance_seconds: Histogram
    commit_seconds: Histogram
    send_errors: Counter
    ingest_requests: Counter
    ingest_posts: Counter
    page_streams: Gauge
    # Partitions this worker last reported lag for, so a revoked one's series is removed.
    _lag_series: set[TopicPartition] = field(default_factory=set)

    @classmethod
    def create(cls, registry: CollectorRegistry) -> StreamsMetrics:
        """Register the metrics in ``registry`` and return the bundle."""
        metrics = cls(
            messages=Counter(
                "streams_messages_total",
                "Messages handled by each stage, by outcome.",
                ["stage", "outcome"],
                registry=registry,
            ),
            stage_seconds=Histogram(
                "streams_stage_duration_seconds",
                "Time spent in each stage per message.",
                ["stage"],
                buckets=STAGE_BUCKETS,
                registry=registry,
            ),
            alerts=Counter(
                "streams_alerts_total",
                "Alerts sent, by type and severity.",
                ["type", "severity"],
                registry=registry,
            ),
            alert_latency=Histogram(
                "streams_alert_latency_seconds",
                "From a post's ingest (since=ingested) or its published_at (since=published) to its alert being sent.",
                ["since"],
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            table_keys=Gauge(
                "streams_table_keys",
                "Keys held by this worker in each table (dedupe window, claim ledger).",
                ["table"],
                registry=registry,
            ),
            consumer_lag=Gauge(
                "streams_consumer_lag_messages",
                "Messages on a partition this worker owns that its group has not committed yet.",
                ["topic", "partition"],
                registry=registry,
            ),
            assigned_partitions=Gauge(
                "streams_assigned_partitions",
                "Partitions of each source topic this worker owns.",
                ["topic"],
                registry=registry,
            ),
            worker=Info(
                "streams_worker",
                "The worker: Livewire, faust and aiokafka versions, and the Kafka version the broker speaks.",
                registry=registry,
            ),
            rebalances=Counter(
                "streams_rebalances_total",
                "Consumer group rebalances this worker took part in.",
                registry=registry,
            ),
            rebalance_seconds=Histogram(
                "streams_rebalance_duration_seconds",
                "From a rebalance starting to this worker processing again (includes table recovery).",
                buckets=WORKER_BUCKETS,
                registry=registry,
            ),
            commit_seconds=Histogram(
                "streams_commit_duration_seconds",
                "Time to commit consumer offsets.",
                buckets=WORKER_BUCKETS,
                registry=registry,
            ),
            send_errors=Counter(
                "streams_send_errors_total",
                "Produce requests the broker failed (outputs, dead letters and changelogs).",
                registry=registry,
            ),
            ingest_requests=Counter(
                "streams_ingest_requests_total",
                "POST /posts requests, by outcome.",
                ["outcome"],
                registry=registry,
            ),
            ingest_posts=Counter(
                "streams_ingest_posts_total",
                "Posts accepted over HTTP and produced to posts.raw.",
                registry=registry,
            ),
            page_streams=Gauge(
                "streams_page_streams",
                "Live pages connected to this worker's alert stream.",
                registry=registry,
            ),
        )
        for stage, outcomes in STAGE_OUTCOMES.items():
            for outcome in outcomes:
                metrics.messages.labels(stage=stage, outcome=outcome)
        for since in get_args(Since):
            metrics.alert_latency.labels(since=since)
        for ingest_outcome in get_args(IngestOutcome):
            metrics.ingest_requests.labels(outcome=ingest_outcome)
        return metrics

    def count(self, stage: Stage, outcome: Outcome, n: int = 1) -> None:
        """Add ``n`` (one by default) to ``streams_messages_total{stage, outcome}``."""
        self.messages.labels(stage=stage, outcome=outcome).inc(n)

    def set_lag(self, lags: Mapping[TopicPartition, int]) -> None:
        """Replace the lag series by ``lags``; partitions not in it (revoked) lose their series."""
        for topic, partition in self._lag_series - lags.keys():
            self.consumer_lag.remove(topic, str(partition))
        for (topic, partition), lag in lags.items():
            self.consumer_lag.labels(topic=topic, partition=str(partition)).set(lag)
        self._lag_series.clear()
        self._lag_series.update(lags)

    def set_assigned(self, owned: Mapping[str, int]) -> None:
        """Set ``streams_assigned_partitions`` for every source topic in ``owned`` (0 included)."""
        for topic, count in owned.items():
            self.assigned_partitions.labels(topic=topic).set(count)
