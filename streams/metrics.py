"""Prometheus metrics of the pipeline, bundled so tests can use a fresh registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

Stage = Literal["validate", "dedupe", "enrich", "ledger"]
Outcome = Literal["ok", "filtered", "duplicate", "dead_lettered", "retried"]

STAGE_BUCKETS: Final = (0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)
LATENCY_BUCKETS: Final = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 60.0, 600.0, 3600.0)


@dataclass(frozen=True)
class StreamsMetrics:
    """Every metric the workers export; labels are bounded sets, never ids."""

    messages: Counter
    stage_seconds: Histogram
    alerts: Counter
    alert_latency: Histogram
    table_keys: Gauge

    @classmethod
    def create(cls, registry: CollectorRegistry) -> StreamsMetrics:
        """Register the metrics in ``registry`` and return the bundle."""
        return cls(
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
                "From a post's ingest (or its published_at) to its alert being sent.",
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
        )

    def count(self, stage: Stage, outcome: Outcome) -> None:
        """Add one to ``streams_messages_total{stage, outcome}``."""
        self.messages.labels(stage=stage, outcome=outcome).inc()
