"""A ledger batch that fails after its alerts went out is retried, not acked: its claims still reach
the ledger, so the same figures sent again later raise no alert (a lost ledger write would re-alert
them as new claims). A batch that keeps failing the same way goes to the DLQ, claim by claim."""

from __future__ import annotations

import contextlib
import time
import uuid

import orjson
import pytest

from streams.models import ClaimEvent
from streams.runner import WorkerProcess
from streams.topics import ALERTS, CLAIMS_EVENTS, POSTS_DLQ
from tests.reliability.oracle import (
    Collector,
    Sender,
    assert_alive,
    claim_events,
    create_topics,
    running,
    topic,
    worker_env,
)

pytestmark = [pytest.mark.integration, pytest.mark.reliability]

CLAIMS = 40
FAILED_BATCHES = 2


def _ledger_counter(worker: WorkerProcess, outcome: str) -> float:
    return worker.metrics().get(("streams_messages_total", (("outcome", outcome), ("stage", "ledger"))), 0.0)


def test_a_failed_ledger_batch_is_retried_and_its_claims_are_recorded(kafka_bootstrap, tmp_path):
    run_id = uuid.uuid4().hex[:8]
    env = worker_env(
        kafka_bootstrap, run_id, tmp_path / "worker", LIVEWIRE_DEBUG_LEDGER_FAIL_BATCHES=str(FAILED_BATCHES)
    )
    prefix = env["LIVEWIRE_TOPIC_PREFIX"]
    create_topics(kafka_bootstrap, prefix)
    first = claim_events(run_id, CLAIMS, tag="fault")
    restated = claim_events(run_id, CLAIMS, tag="restated", seq_start=CLAIMS)
    collector = Collector(kafka_bootstrap, prefix, names=(ALERTS,))
    worker = WorkerProcess(env=env, log_path=tmp_path / "worker.log")
    with contextlib.closing(collector), running(worker):
        alive = assert_alive(worker)
        Sender(kafka_bootstrap, topic(prefix, CLAIMS_EVENTS), first).start().join()
        collector.wait_count(ALERTS, CLAIMS, timeout=180, alive=alive)

        Sender(kafka_bootstrap, topic(prefix, CLAIMS_EVENTS), restated).start().join()
        # Each restatement the ledger recognises counts as "filtered"; one whose claim the ledger
        # lost would alert again as new instead, and this count would never be reached.
        deadline = time.monotonic() + 180
        while (filtered := _ledger_counter(worker, "filtered")) < CLAIMS:
            assert time.monotonic() < deadline, (
                f"{filtered:.0f} of {CLAIMS} restatements recognised after 180s; "
                f"{collector.count(ALERTS)} alerts\n{worker.log_tail()}"
            )
            collector.poll(0.5)
            alive()
        collector.settle(quiet=2.0)
        retried = _ledger_counter(worker, "retried")

    alerts = [orjson.loads(record.value) for record in collector.records[ALERTS]]
    # A retry re-sends its batch's alerts with the same ids, so subscribers drop the copies.
    by_id = {alert["alert_id"]: alert for alert in alerts}
    assert len(by_id) == CLAIMS
    assert {alert["post"]["post_id"] for alert in by_id.values()} == {post_id for *_, post_id in first}
    assert {alert["type"] for alert in by_id.values()} == {"new_claim"}
    assert retried == FAILED_BATCHES


def test_a_batch_that_keeps_failing_is_dead_lettered_claim_by_claim(kafka_bootstrap, tmp_path):
    run_id = uuid.uuid4().hex[:8]
    # Every batch fails, the same way each time: no outage to wait out.
    env = worker_env(kafka_bootstrap, run_id, tmp_path / "worker", LIVEWIRE_DEBUG_LEDGER_FAIL_BATCHES="100")
    prefix = env["LIVEWIRE_TOPIC_PREFIX"]
    create_topics(kafka_bootstrap, prefix)
    events = claim_events(run_id, 10, tag="doomed")
    collector = Collector(kafka_bootstrap, prefix, names=(POSTS_DLQ,))
    worker = WorkerProcess(env=env, log_path=tmp_path / "worker.log")
    with contextlib.closing(collector), running(worker):
        alive = assert_alive(worker)
        Sender(kafka_bootstrap, topic(prefix, CLAIMS_EVENTS), events).start().join()
        collector.wait_count(POSTS_DLQ, len(events), timeout=180, alive=alive)
        collector.settle(quiet=2.0)
        dead_lettered = _ledger_counter(worker, "dead_lettered")
        alive()

    parked = [ClaimEvent.model_validate_json(record.value) for record in collector.records[POSTS_DLQ]]
    assert sorted(event.post.post_id for event in parked) == sorted(post_id for *_, post_id in events)
    assert dead_lettered == len(events)
    log = worker.log_path.read_text(errors="replace")
    assert "dead-lettered stage=ledger" in log
    assert "injected ledger batch fault" in log
