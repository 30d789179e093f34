"""The live page's event stream with two workers in one group: a page on either worker sees every alert."""

from __future__ import annotations

import time
import urllib.request
import uuid

import orjson
import pytest

from streams.extract import extract_liveblog
from streams.ingest.posts import posts_from_text
from streams.runner import WorkerProcess
from tests.webworker import SAMPLE, WebWorker

pytestmark = pytest.mark.integration


def _read_stream(url: str, *, until: int, timeout: float = 120.0) -> list[dict]:
    """Alerts from a page's event stream, until ``until`` arrived (fails at the deadline)."""
    alerts: list[dict] = []
    deadline = time.monotonic() + timeout
    with urllib.request.urlopen(f"{url}/alerts/stream", timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/event-stream")
        while len(alerts) < until and time.monotonic() < deadline:
            line = response.readline()
            if line.startswith(b"data: "):
                alerts.append(orjson.loads(line.removeprefix(b"data: ")))
    return alerts


@pytest.fixture
def two_workers(kafka_bootstrap, tmp_path):
    run_id = uuid.uuid4().hex[:8]
    env = {
        "LIVEWIRE_BROKER": kafka_bootstrap,
        "LIVEWIRE_APP_ID": f"livewire-pages-{run_id}",
        "LIVEWIRE_TOPIC_PREFIX": f"p{run_id}.",
        "LIVEWIRE_INGEST_TOKEN": "token-" + run_id,
    }
    workers = [
        WorkerProcess(env={**env, "LIVEWIRE_DATA_DIR": str(tmp_path / name)}, log_path=tmp_path / f"{name}.log")
        for name in ("a", "b")
    ]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.wait_ready(timeout=120)
        yield [
            WebWorker(w.url, env["LIVEWIRE_INGEST_TOKEN"], kafka_bootstrap, env["LIVEWIRE_TOPIC_PREFIX"])
            for w in workers
        ]
    finally:
        for worker in workers:
            worker.stop()


def test_a_page_on_either_worker_sees_every_alert_once(two_workers):
    first, second = two_workers
    posts, _ = posts_from_text(SAMPLE.read_text(), source="livewire-http", feed_id=None)
    expected = extract_liveblog(SAMPLE.read_text())["alerts"]
    body = b"\n".join(orjson.dumps(p.model_dump(mode="json", exclude_none=True)) for p in posts)
    status, _, _ = first.post(body, content_type="application/x-ndjson")
    assert status == 202

    # Two workers that just started may still be rebalancing under a loaded CI machine: a deadline
    # of minutes, not the default minute of silence (read returns as soon as every alert is in).
    on_topic = first.read("alerts", until=len(expected), idle_timeout=180)
    assert len(on_topic) == len(expected)
    assert len({r.partition for r in on_topic}) > 1, "the alerts spread over partitions the workers share"
    for worker in (first, second):
        shown = _read_stream(worker.url, until=len(on_topic))
        assert sorted(a["alert_id"] for a in shown) == sorted(
            orjson.loads(r.value or b"")["alert_id"] for r in on_topic
        )
        assert all(a["where"] for a in shown), "every alert's place has coordinates"
