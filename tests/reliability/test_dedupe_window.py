"""The dedupe window on a real broker: entries older than it are deleted by the worker's timer, which keeps running."""

from __future__ import annotations

import time
import uuid

import pytest
from kafka import KafkaConsumer

from streams.runner import WorkerProcess
from streams.topics import POSTS_DUPLICATES, POSTS_ENRICHED
from tests.reliability.oracle import (
    Collector,
    Sender,
    assert_alive,
    create_topics,
    make_posts,
    raw_topic,
    worker_env,
)

pytestmark = [pytest.mark.integration, pytest.mark.reliability]

WINDOW_HOURS = 2 / 3600  # two seconds: the worker prunes every second


def _changelog(env: dict[str, str]) -> str:
    return f"{env['LIVEWIRE_APP_ID']}-{env['LIVEWIRE_TOPIC_PREFIX']}posts.seen-changelog"


def test_entries_older_than_the_window_are_deleted_and_a_late_redelivery_passes_again(kafka_bootstrap, tmp_path):
    run_id = uuid.uuid4().hex[:8]
    env = worker_env(kafka_bootstrap, run_id, tmp_path / "worker", LIVEWIRE_DEDUPE_WINDOW_HOURS=str(WINDOW_HOURS))
    create_topics(kafka_bootstrap, env["LIVEWIRE_TOPIC_PREFIX"])
    posts = make_posts(run_id, 8)
    collector = Collector(kafka_bootstrap, env["LIVEWIRE_TOPIC_PREFIX"])
    worker = WorkerProcess(env=env, log_path=tmp_path / "worker.log")
    try:
        worker.start()
        worker.wait_ready(timeout=180)
        alive = assert_alive(worker)
        Sender.of_posts(kafka_bootstrap, raw_topic(env), posts).start().join()
        collector.wait_count(POSTS_ENRICHED, len(posts), timeout=120, alive=alive)

        # The timer deletes every entry once it is older than the window: a tombstone on the
        # changelog for each key written (read from the changelog itself, the table's record).
        changelog = KafkaConsumer(
            _changelog(env), bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest", group_id=None
        )
        try:
            live: set[bytes] = set()
            writes = 0
            deadline = time.monotonic() + 60
            while writes == 0 or live:
                for records in changelog.poll(timeout_ms=500).values():
                    for record in records:
                        if record.value is None:
                            live.discard(record.key)
                        else:
                            live.add(record.key)
                            writes += 1
                alive()
                assert time.monotonic() < deadline, f"{len(live)} dedupe entries never deleted\n{worker.log_tail()}"
        finally:
            changelog.close()

        # With the entries gone, the same posts sent again are new to dedupe: enriched, not duplicates.
        Sender.of_posts(kafka_bootstrap, raw_topic(env), posts).start().join()
        collector.wait_count(POSTS_ENRICHED, 2 * len(posts), timeout=120, alive=alive)
        alive()
    finally:
        worker.stop()
        collector.close()
    assert collector.count(POSTS_DUPLICATES) == 0
    assert "Traceback" not in worker.log_path.read_text(errors="replace")
