"""Worker faults on a real broker: kill -9 mid-stream, and one of two workers killed. Nothing acknowledged is lost."""

from __future__ import annotations

import time
import uuid

import pytest

from streams.runner import WorkerProcess
from streams.topics import POSTS_ENRICHED
from tests.reliability.oracle import (
    Collector,
    Sender,
    assert_alive,
    create_topics,
    judge,
    kill_hard,
    make_posts,
    raw_topic,
    validated,
    worker_env,
)

pytestmark = [pytest.mark.integration, pytest.mark.reliability]

POSTS = 2000


def test_kill_9_worker_mid_stream_loses_nothing_and_does_not_realert(kafka_bootstrap, tmp_path):
    run_id = uuid.uuid4().hex[:8]
    env = worker_env(kafka_bootstrap, run_id, tmp_path / "worker")
    create_topics(kafka_bootstrap, env["LIVEWIRE_TOPIC_PREFIX"])
    posts = make_posts(run_id, POSTS)
    collector = Collector(kafka_bootstrap, env["LIVEWIRE_TOPIC_PREFIX"])
    first = WorkerProcess(env=env, log_path=tmp_path / "worker-1.log")
    second = WorkerProcess(env=env, log_path=tmp_path / "worker-2.log")
    try:
        first.start()
        first.wait_ready(timeout=180)
        sender = Sender.of_posts(kafka_bootstrap, raw_topic(env), posts).start()
        sender.join()
        # Kill once a quarter is out: the other ~1,500 are in flight (fetched, buffered or not yet read).
        collector.wait_count(POSTS_ENRICHED, POSTS // 4, timeout=180)
        ends = collector.end_offsets()
        faulted = time.monotonic()
        kill_hard(first)
        in_flight = POSTS - collector.count(POSTS_ENRICHED)

        second.start()
        second.wait_ready(timeout=180)
        done = collector.wait_for(sender.acked, timeout=240, alive=assert_alive(second))
        collector.settle()
    finally:
        first.stop()
        second.stop()
        collector.close()

    verdict = judge("worker-kill-9", collector, sent=sender.sent, acknowledged=sender.acked)
    resumed = collector.first_output_after(ends)
    verdict.recovery_s = round(resumed - faulted, 1) if resumed else None
    verdict.catch_up_s = round(done - faulted, 1)
    verdict.extra = {"in_flight_at_kill": in_flight}
    verdict.write()
    assert sender.acked == {p["post_id"] for p in posts}
    verdict.assert_nothing_lost()
    assert verdict.distinct_alerts > 0


def test_two_workers_one_killed_survivor_takes_over_and_loses_nothing(kafka_bootstrap, tmp_path):
    run_id = uuid.uuid4().hex[:8]
    env_a = worker_env(kafka_bootstrap, run_id, tmp_path / "worker-a")
    env_b = worker_env(kafka_bootstrap, run_id, tmp_path / "worker-b")
    create_topics(kafka_bootstrap, env_a["LIVEWIRE_TOPIC_PREFIX"])
    posts = make_posts(run_id, POSTS // 2)
    collector = Collector(kafka_bootstrap, env_a["LIVEWIRE_TOPIC_PREFIX"])
    survivor = WorkerProcess(env=env_a, log_path=tmp_path / "worker-a.log")
    victim = WorkerProcess(env=env_b, log_path=tmp_path / "worker-b.log")
    try:
        survivor.start()
        victim.start()
        survivor.wait_ready(timeout=180)
        victim.wait_ready(timeout=180)
        sender = Sender.of_posts(kafka_bootstrap, raw_topic(env_a), posts).start()
        sender.join()
        collector.wait_count(POSTS_ENRICHED, len(posts) // 4, timeout=180)
        victim_processed = validated(victim)
        ends = collector.end_offsets()
        faulted = time.monotonic()
        kill_hard(victim)
        done = collector.wait_for(sender.acked, timeout=240, alive=assert_alive(survivor))
        collector.settle()
    finally:
        survivor.stop()
        victim.stop()
        collector.close()

    verdict = judge("two-workers-one-killed", collector, sent=sender.sent, acknowledged=sender.acked)
    resumed = collector.first_output_after(ends)
    verdict.recovery_s = round(resumed - faulted, 1) if resumed else None
    verdict.catch_up_s = round(done - faulted, 1)
    verdict.write()
    assert sender.acked == {p["post_id"] for p in posts}
    verdict.assert_nothing_lost()
    # The victim was doing real work when it died, so its partitions had to move to the survivor.
    assert victim_processed > 0
