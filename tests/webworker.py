"""A worker with HTTP ingest enabled, on the session's broker, plus small HTTP and topic helpers."""

from __future__ import annotations

import secrets
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import orjson

from streams.kafkaio import Record, read_topic
from streams.runner import MetricKey, WorkerProcess, scrape_metrics

SAMPLE = Path(__file__).resolve().parents[1] / "streams" / "samples" / "kursk-liveblog.txt"


@dataclass(frozen=True)
class WebWorker:
    """A running worker: its URL, ingest token, broker and topic prefix."""

    url: str
    token: str
    bootstrap: str
    prefix: str

    def post(self, body: bytes, *, content_type: str = "application/json", token: str | None = None):
        """POST ``body`` to /posts; return (status, decoded JSON body, headers)."""
        headers = {"Content-Type": content_type}
        if token != "":
            headers["Authorization"] = f"Bearer {self.token if token is None else token}"
        request = urllib.request.Request(f"{self.url}/posts", data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, orjson.loads(response.read()), response.headers
        except urllib.error.HTTPError as error:
            return error.code, orjson.loads(error.read()), error.headers

    def metrics(self) -> dict[MetricKey, float]:
        """The worker's /metrics samples by (name, sorted labels)."""
        return scrape_metrics(self.url, timeout=30)

    def read(self, topic: str, *, until: int, idle_timeout: float = 60.0) -> list[Record]:
        """Records of ``topic`` from the beginning, returned as soon as ``until`` arrived (or the topic went quiet)."""
        records: list[Record] = []
        for record in read_topic(self.bootstrap, self.prefix + topic, from_beginning=True, idle_timeout=idle_timeout):
            records.append(record)
            if len(records) >= until:
                break
        return records


@contextmanager
def web_worker(bootstrap: str, folder: Path, **extra_env: str) -> Iterator[WebWorker]:
    """Start a worker with its own app id, topic prefix and ingest token; stop it by pid afterwards."""
    run_id = uuid.uuid4().hex[:8]
    token = secrets.token_urlsafe(24)
    prefix = f"w{run_id}."
    env = {
        "LIVEWIRE_BROKER": bootstrap,
        "LIVEWIRE_APP_ID": f"livewire-web-{run_id}",
        "LIVEWIRE_TOPIC_PREFIX": prefix,
        "LIVEWIRE_DATA_DIR": str(folder / "worker"),
        "LIVEWIRE_INGEST_TOKEN": token,
        **extra_env,
    }
    worker = WorkerProcess(env=env, log_path=folder / "worker.log")
    worker.start()
    try:
        worker.wait_ready(timeout=120)
        yield WebWorker(url=worker.url, token=token, bootstrap=bootstrap, prefix=prefix)
    finally:
        worker.stop()
