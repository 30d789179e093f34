"""Prometheus metrics of the pipeline, bundled so tests can use a fresh registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from prometheus_client import CollectorRegistry, Counter, Histogram

Stage = Literal["validate", "dedupe", "enrich", "ledger"]
Outcome = Literal["ok", "filtered", "duplicate", "dead_lettered", "retried"]

STAGE_BUCKETS: Final = (0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)


@dataclass(frozen=True)
class StreamsMetrics:
    """Every metric the workers export; labels are bounded sets, never ids."""

    messages: Counter
    stage_seconds: Histogram
    alerts: Counter

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
        )

    def count(self, stage: Stage, outcome: Outcome) -> None:
        """Add one to ``streams_messages_total{stage, outcome}``."""
        self.messages.labels(stage=stage, outcome=outcome).inc()
