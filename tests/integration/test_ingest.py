"""`livewire ingest` against a real broker: order, stable ids, JSON Lines, stdin and rejects."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import orjson
import pytest
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient

from streams.kafkaio import read_topic
from streams.topicplan import RETENTION_MS
from streams.topics import ALERTS, POSTS_RAW

pytestmark = pytest.mark.integration

SAMPLE = Path(__file__).resolve().parents[2] / "streams" / "samples" / "kursk-liveblog.txt"


def _ingest(bootstrap: str, prefix: str, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LIVEWIRE_BROKER": bootstrap, "LIVEWIRE_TOPIC_PREFIX": prefix}
    return subprocess.run(
        [sys.executable, "-m", "streams", "ingest", *args],
        env=env,
        input=stdin,
        capture_output=True,
        timeout=120,
        check=True,
    )


def _raw_posts(bootstrap: str, prefix: str) -> list[dict]:
    records = read_topic(bootstrap, prefix + "posts.raw", from_beginning=True, idle_timeout=3.0)
    return [orjson.loads(r.value or b"") | {"_key": r.key} for r in records]


def test_ingest_text_sends_oldest_first_with_stable_ids(kafka_bootstrap):
    prefix = f"t{uuid.uuid4().hex[:8]}."
    first = _ingest(kafka_bootstrap, prefix, str(SAMPLE))
    assert b"rejected 0" in first.stderr
    posts = _raw_posts(kafka_bootstrap, prefix)
    assert [p["seq"] for p in posts] == list(range(len(posts)))
    assert all(p["_key"] == p["feed_id"].encode() for p in posts)
    _ingest(kafka_bootstrap, prefix, str(SAMPLE))
    again = _raw_posts(kafka_bootstrap, prefix)
    half = len(again) // 2
    assert [p["post_id"] for p in again[:half]] == [p["post_id"] for p in again[half:]]


def test_ingest_creates_topics_with_the_deployment_plans_retention(kafka_bootstrap):
    # The CLI and the worker create topics through one plan, so whoever comes first, retention is the same.
    prefix = f"t{uuid.uuid4().hex[:8]}."
    _ingest(kafka_bootstrap, prefix, str(SAMPLE))
    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap.split(","))
    try:
        resources = [ConfigResource(ConfigResourceType.TOPIC, prefix + name) for name in (POSTS_RAW, ALERTS)]
        configs = admin.describe_configs(resources)["topic"]
    finally:
        admin.close()
    for name in (POSTS_RAW, ALERTS):
        assert configs[prefix + name]["retention.ms"]["value"] == str(RETENTION_MS[name])


def test_ingest_jsonl_from_stdin_reports_rejects_and_sends_the_rest(kafka_bootstrap):
    prefix = f"t{uuid.uuid4().hex[:8]}."
    good = {"source": "wire", "feed_id": "f1", "post_id": "a", "title": "Dam breach floods three villages"}
    lines = [orjson.dumps(good), b'{"source": "wire", "feed_id": "f1", "title": "no id"}', b"", b"{oops"]
    result = _ingest(kafka_bootstrap, prefix, "-", stdin=b"\n".join(lines) + b"\n")
    err = result.stderr.decode()
    assert "rejected line 2: schema: post_id: Field required" in err
    assert "rejected line 4: not valid JSON" in err
    assert "sent 1 posts" in err
    assert [p["post_id"] for p in _raw_posts(kafka_bootstrap, prefix)] == ["a"]
