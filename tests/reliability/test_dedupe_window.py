"""The dedupe window on a real broker: entries older than it are deleted by the worker's timer, which keeps running."""

from __future__ import annotations

import uuid

import pytest

from streams.runner import WorkerProcess
from streams.topics import POSTS_DUPLICATES, POSTS_ENRICHED, POSTS_SEEN
from tests.reliability.oracle import (
    Collector,
    Sender,
    assert_alive,
    changelog_topic,
    create_topics,
    make_posts,
    raw_topic,
    wait_until_tombstoned,
    worker_env,
)

pytestmark = [pytest.mark.integration, pytest.mark.reliability]

WINDOW_HOURS = 2 / 3600  # two seconds: the worker prunes every second


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
        # changelog for each key written.
        changelog = changelog_topic(env, POSTS_SEEN)
        wait_until_tombstoned(kafka_bootstrap, changelog, keys=None, alive=alive, log_tail=worker.log_tail)

        # With the entries gone, the same posts sent again are new to dedupe: enriched, not duplicates.
        Sender.of_posts(kafka_bootstrap, raw_topic(env), posts).start().join()
        collector.wait_count(POSTS_ENRICHED, 2 * len(posts), timeout=120, alive=alive)
        alive()
    finally:
        worker.stop()
        collector.close()
    assert collector.count(POSTS_DUPLICATES) == 0
    assert "Traceback" not in worker.log_path.read_text(errors="replace")
