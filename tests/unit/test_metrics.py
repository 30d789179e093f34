"""The metrics bundle and the readiness rule, on a fresh registry (no worker, no broker)."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry

from streams.metrics import STAGE_OUTCOMES, StreamsMetrics, consumer_lag
from streams.observe import Readiness


def _value(registry: CollectorRegistry, name: str, **labels: str) -> float | None:
    return registry.get_sample_value(name, labels)


def test_consumer_lag_is_end_offset_minus_committed():
    lags = consumer_lag({("t", 0): 10, ("t", 1): 5}, {("t", 0): 7, ("t", 1): 5})
    assert lags == {("t", 0): 3, ("t", 1): 0}


def test_consumer_lag_of_a_never_committed_partition_is_everything_in_it():
    assert consumer_lag({("t", 0): 100}, {("t", 0): None}) == {("t", 0): 100}


def test_consumer_lag_is_never_negative():
    # A commit can race ahead of a stale end offset read.
    assert consumer_lag({("t", 0): 4}, {("t", 0): 6}) == {("t", 0): 0}


def test_set_lag_removes_the_series_of_revoked_partitions():
    registry = CollectorRegistry()
    metrics = StreamsMetrics.create(registry)
    metrics.set_lag({("posts.raw", 0): 3, ("posts.raw", 1): 1})
    metrics.set_lag({("posts.raw", 1): 0})
    assert _value(registry, "streams_consumer_lag_messages", topic="posts.raw", partition="0") is None
    assert _value(registry, "streams_consumer_lag_messages", topic="posts.raw", partition="1") == 0


@pytest.mark.parametrize(("stage", "outcome"), [(s, o) for s, outs in STAGE_OUTCOMES.items() for o in outs])
def test_every_stage_outcome_exists_at_zero_before_any_event(stage, outcome):
    registry = CollectorRegistry()
    StreamsMetrics.create(registry)
    assert _value(registry, "streams_messages_total", stage=stage, outcome=outcome) == 0


def test_latency_histogram_exists_for_both_starting_points():
    registry = CollectorRegistry()
    metrics = StreamsMetrics.create(registry)
    metrics.alert_latency.labels(since="published").observe(7200)
    assert _value(registry, "streams_alert_latency_seconds_count", since="ingested") == 0
    assert _value(registry, "streams_alert_latency_seconds_bucket", since="published", le="3600.0") == 0
    assert _value(registry, "streams_alert_latency_seconds_bucket", since="published", le="86400.0") == 1


@pytest.mark.parametrize(
    ("assigned", "recovered", "reachable", "ready"),
    [(2, True, True, True), (0, True, True, False), (2, False, True, False), (2, True, False, False)],
)
def test_readiness_needs_partitions_recovery_and_broker(assigned, recovered, reachable, ready):
    readiness = Readiness(assigned=assigned, recovered=recovered, broker_reachable=reachable)
    assert readiness.ready is ready
    assert readiness.as_dict()["ready"] is ready


def test_pipeline_sensor_counts_rebalances_commits_and_send_errors():
    from streams.observe import PipelineSensor

    registry = CollectorRegistry()
    sensor = PipelineSensor(StreamsMetrics.create(registry))
    state = sensor.on_rebalance_start(app=None)
    sensor.on_rebalance_end(None, state)
    sensor.on_commit_completed(None, sensor.on_commit_initiated(None))
    sensor.on_send_error(None, RuntimeError("broker gone"), None)
    assert _value(registry, "streams_rebalances_total") == 1
    assert _value(registry, "streams_rebalance_duration_seconds_count") == 1
    assert _value(registry, "streams_commit_duration_seconds_count") == 1
    assert _value(registry, "streams_send_errors_total") == 1
