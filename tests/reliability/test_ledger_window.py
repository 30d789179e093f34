"""The ledger window on a real broker: claim keys idle longer than it are forgotten by the worker's timer.

Each key is tombstoned on its changelog partition, the worker keeps running
(a delete outside a stream event would crash it), and a claim on a forgotten
key is news again: the same claim sent before would have been a replay.
"""

from __future__ import annotations

import contextlib
import uuid

import orjson
import pytest

from streams.runner import WorkerProcess
from streams.topics import ALERTS, CLAIMS_EVENTS, CLAIMS_LEDGER
from tests.reliability.oracle import (
    Collector,
    Sender,
    assert_alive,
    changelog_topic,
    claim_events,
    create_topics,
    running,
    topic,
    wait_until_tombstoned,
    worker_env,
)

pytestmark = [pytest.mark.integration, pytest.mark.reliability]

WINDOW_S = 3.0  # the worker looks for idle keys every 1.5 s
KEYS = 6


def test_idle_claim_keys_are_forgotten_and_their_next_claim_is_news_again(kafka_bootstrap, tmp_path):
    run_id = uuid.uuid4().hex[:8]
    env = worker_env(kafka_bootstrap, run_id, tmp_path / "worker", LIVEWIRE_LEDGER_WINDOW_HOURS=str(WINDOW_S / 3600))
    prefix = env["LIVEWIRE_TOPIC_PREFIX"]
    create_topics(kafka_bootstrap, prefix)
    events = claim_events(run_id, KEYS, tag="window")
    claims_topic = topic(prefix, CLAIMS_EVENTS)
    collector = Collector(kafka_bootstrap, prefix, names=(ALERTS,))
    worker = WorkerProcess(env=env, log_path=tmp_path / "worker.log")
    with contextlib.closing(collector), running(worker):
        alive = assert_alive(worker)
        Sender(kafka_bootstrap, claims_topic, events).start().join()
        collector.wait_count(ALERTS, KEYS, timeout=120, alive=alive)

        keys = {key for key, _, _ in events if key}
        changelog = changelog_topic(env, CLAIMS_LEDGER)
        wait_until_tombstoned(kafka_bootstrap, changelog, keys=keys, alive=alive, log_tail=worker.log_tail)

        # Forgotten, each key takes the same claim as news again.
        Sender(kafka_bootstrap, claims_topic, events).start().join()
        collector.wait_count(ALERTS, 2 * KEYS, timeout=120, alive=alive)
        collector.settle(quiet=2.0)
        alive()
    alerts = [orjson.loads(record.value) for record in collector.records[ALERTS]]
    assert len(alerts) == 2 * KEYS
    assert {a["type"] for a in alerts} == {"new_claim"}
    assert sorted(a["post"]["post_id"] for a in alerts) == sorted(2 * [ident for _, _, ident in events if ident])
    assert "Traceback" not in worker.log_path.read_text(errors="replace")
