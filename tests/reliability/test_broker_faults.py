"""Broker faults: SIGTERM and SIGKILL the broker while posts are produced and processed, restart it on
the same ports and data. Nothing acknowledged is lost and the worker resumes by itself."""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Iterator

import pytest

from streams import localkafka
from streams.runner import WorkerProcess
from streams.topics import POSTS_ENRICHED
from tests.kafka_fixture import start_fresh_broker
from tests.reliability.oracle import (
    Collector,
    Sender,
    assert_alive,
    create_topics,
    judge,
    make_posts,
    raw_topic,
    worker_env,
)

pytestmark = [pytest.mark.integration, pytest.mark.reliability]

POSTS = 1200
RATE = 150.0  # posts per second once the fault has struck: the producer sends into the outage


@pytest.fixture(scope="module")
def own_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[localkafka.BrokerInfo]:
    """A broker of this module alone (the session broker is shared and must not be killed)."""
    state_dir = tmp_path_factory.mktemp("kafka-faults")
    try:
        yield start_fresh_broker(state_dir)
    finally:
        localkafka.stop(state_dir)


def _kill_broker(info: localkafka.BrokerInfo, sig: signal.Signals) -> None:
    os.kill(info.pid, sig)
    deadline = time.monotonic() + 60
    while localkafka.status(info.state_dir) is not None:
        assert time.monotonic() < deadline, f"broker pid {info.pid} still running 60s after {sig.name}"
        time.sleep(0.1)  # polling interval of a condition with a deadline


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_broker_restart_while_producing_loses_nothing_and_worker_resumes(own_broker, tmp_path, sig):
    state_dir = own_broker.state_dir
    broker = localkafka.status(state_dir) or localkafka.start(state_dir, port=own_broker.port)
    bootstrap = broker.bootstrap
    run_id = uuid.uuid4().hex[:8]
    env = worker_env(bootstrap, run_id, tmp_path / "worker")
    create_topics(bootstrap, env["LIVEWIRE_TOPIC_PREFIX"])
    posts = make_posts(run_id, POSTS)
    collector = Collector(bootstrap, env["LIVEWIRE_TOPIC_PREFIX"])
    worker = WorkerProcess(env=env, log_path=tmp_path / "worker.log")
    try:
        worker.start()
        worker.wait_ready(timeout=180)
        # A third goes out at once; the rest waits for the fault, then is sent while the broker is down.
        sender = Sender.of_posts(bootstrap, raw_topic(env), posts, rate=RATE, hold_after=POSTS // 3).start()
        collector.wait_count(POSTS_ENRICHED, POSTS // 12, timeout=180)
        sent_at_fault = sender.sent
        ends = collector.end_offsets()
        faulted = time.monotonic()
        _kill_broker(broker, sig)
        sender.release.set()
        restarted = localkafka.start(state_dir, port=broker.port)
        broker_down_s = time.monotonic() - faulted
        sent_while_down = sender.sent - sent_at_fault
        assert restarted.bootstrap == bootstrap
        sender.join()
        # No restart of the worker: it has to find the broker again on its own.
        done = collector.wait_for(sender.acked, timeout=240, alive=assert_alive(worker))
        collector.settle()
    finally:
        worker.stop()
        collector.close()

    verdict = judge(f"broker-{sig.name.lower()}", collector, sent=sender.sent, acknowledged=sender.acked)
    resumed = collector.first_output_after(ends)
    verdict.recovery_s = round(resumed - faulted, 1) if resumed else None
    verdict.catch_up_s = round(done - faulted, 1)
    verdict.extra = {
        "broker_down_s": round(broker_down_s, 1),
        "sent_before_fault": sent_at_fault,
        "sent_while_broker_down": sent_while_down,
        "send_failures": len(sender.failed),
    }
    verdict.write()
    assert sent_while_down > 0  # the producer kept sending into the outage
    assert len(sender.acked) + len(sender.failed) == POSTS
    verdict.assert_nothing_lost()
