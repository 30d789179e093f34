"""The seed live blog through a real worker on a real Kafka broker: exactly the gold alerts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import orjson
import pytest

from streams.deadletter import headers_dict
from streams.kafkaio import Record, producing, read_topic
from streams.runner import WorkerProcess, scrape_metrics

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEED = SHARED / "seed" / "kursk-liveblog.txt"
GOLD = SHARED / "eval" / "kursk-liveblog.gold.json"


@pytest.fixture
def pipeline(kafka_bootstrap, tmp_path):
    """A worker with its own app id and topic prefix, so tests never see each other's records."""
    run_id = uuid.uuid4().hex[:8]
    env = {
        "LIVEWIRE_BROKER": kafka_bootstrap,
        "LIVEWIRE_APP_ID": f"livewire-test-{run_id}",
        "LIVEWIRE_TOPIC_PREFIX": f"t{run_id}.",
        "LIVEWIRE_DATA_DIR": str(tmp_path / "worker"),
    }
    worker = WorkerProcess(env=env, log_path=tmp_path / "worker.log")
    worker.start()
    try:
        worker.wait_ready(timeout=120)
        yield {**env, "LIVEWIRE_TEST_WORKER_URL": worker.url}
    finally:
        worker.stop()


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def _read(env: dict[str, str], topic: str, *, until: int, idle: float = 10.0) -> list[Record]:
    """Read a topic from the beginning until ``until`` records arrived and then ``idle`` quiet seconds."""
    records: list[Record] = []
    name = env["LIVEWIRE_TOPIC_PREFIX"] + topic
    # Read until quiet; a deadline that grows only while records keep arriving.
    for _ in range(12):
        records = list(read_topic(env["LIVEWIRE_BROKER"], name, from_beginning=True, idle_timeout=idle))
        if len(records) >= until:
            return records
    return records


def _alert_facts(records: list[Record]) -> Counter[tuple[str, str, float]]:
    facts: Counter[tuple[str, str, float]] = Counter()
    for record in records:
        alert = orjson.loads(record.value or b"")
        facts[(alert["type"], alert["claim"]["metric"], float(alert["claim"]["value"]))] += 1
    return facts


def test_seed_raises_exactly_the_gold_alerts_and_reingest_adds_none(pipeline):
    gold = json.loads(GOLD.read_text())
    expected = Counter((a["type"], a["metric"], float(a["value"])) for a in gold["alerts"])

    result = _cli(pipeline, "ingest", str(SEED))
    assert "sent 9 posts" in result.stderr

    alerts = _read(pipeline, "alerts", until=len(gold["alerts"]))
    assert _alert_facts(alerts) == expected
    assert len({orjson.loads(r.value or b"")["alert_id"] for r in alerts}) == len(alerts)

    _cli(pipeline, "ingest", str(SEED))
    # The repeat is absorbed as 9 re-deliveries; once they are all out, nothing else can follow.
    duplicates = _read(pipeline, "posts.duplicates", until=9, idle=3.0)
    assert len(duplicates) == 9
    assert {orjson.loads(r.value or b"")["reason"] for r in duplicates} == {"redelivery"}
    again = _read(pipeline, "alerts", until=len(gold["alerts"]), idle=3.0)
    assert _alert_facts(again) == expected

    samples = scrape_metrics(pipeline["LIVEWIRE_TEST_WORKER_URL"])
    assert samples[("streams_messages_total", (("outcome", "ok"), ("stage", "validate")))] == 18
    assert samples[("streams_messages_total", (("outcome", "duplicate"), ("stage", "dedupe")))] == 9
    assert samples[("streams_alert_latency_seconds_count", (("since", "ingested"),))] == len(gold["alerts"])
    sent = sum(v for (name, _), v in samples.items() if name == "streams_alerts_total")
    assert sent == len(gold["alerts"])


MALFORMED = [
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not UTF-8: byte 0xff at byte 0"),
    (b'["a list"]', "expected a JSON object"),
    (b'{"source": "w", "feed_id": "f", "post_id": 7, "title": "t"}', "post_id"),
    (b'{"source": "w", "feed_id": "f", "post_id": "p", "title": "   "}', "title"),
]


def test_malformed_events_land_in_the_dlq_and_valid_ones_pass(pipeline):
    topic = pipeline["LIVEWIRE_TOPIC_PREFIX"] + "posts.raw"
    valid_ids = []
    with producing(pipeline["LIVEWIRE_BROKER"]) as producer:
        for i, (raw, _) in enumerate(MALFORMED):
            post = {
                "source": "test",
                "feed_id": "dlq-feed",
                "post_id": f"valid-{i}",
                "title": f"Valid update {i}: {i + 3} people injured in a storm",
                "body": f"Officials said {i + 3} people were injured.",
            }
            producer.send(topic, key=b"dlq-feed", value=orjson.dumps(post))
            valid_ids.append(post["post_id"])
            producer.send(topic, key=b"dlq-feed", value=raw)

    dead = _read(pipeline, "posts.dlq", until=len(MALFORMED), idle=3.0)
    assert [r.value for r in dead] == [raw for raw, _ in MALFORMED]
    for record, (_, reason) in zip(dead, MALFORMED, strict=True):
        headers = headers_dict(record.headers)
        assert headers["dlq.stage"] == "validate"
        assert reason in headers["dlq.error.message"]
        assert headers["dlq.source.topic"] == topic

    enriched = _read(pipeline, "posts.enriched", until=len(valid_ids), idle=3.0)
    assert [orjson.loads(r.value or b"")["post"]["post_id"] for r in enriched] == valid_ids


def test_dlq_inspect_lists_reasons_and_replay_sends_only_what_now_validates(pipeline):
    test_malformed_events_land_in_the_dlq_and_valid_ones_pass(pipeline)
    inspect = _cli(pipeline, "dlq", "inspect")
    lines = inspect.stdout.splitlines()
    assert len(lines) == len(MALFORMED)
    for line, (_, reason) in zip(lines, MALFORMED, strict=True):
        assert "\tvalidate\t" in line
        assert reason in line
    replay = _cli(pipeline, "dlq", "replay", "--dry-run")
    assert (
        f"would replay 0 dead letters to {pipeline['LIVEWIRE_TOPIC_PREFIX']}posts.raw; 5 still invalid" in replay.stderr
    )
