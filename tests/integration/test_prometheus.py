"""A real Prometheus scrapes a real worker that processes the seed live blog; the API shows the pipeline."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from streams.localkafka import kafka_version
from streams.runner import WorkerProcess
from tests.prometheus_server import PrometheusServer, prometheus_binary

pytestmark = [pytest.mark.integration]

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEED = SHARED / "seed" / "kursk-liveblog.txt"
GOLD = SHARED / "eval" / "kursk-liveblog.gold.json"
PARTITIONS = 2


@dataclass(frozen=True)
class Scraped:
    """A worker that processed the seed, and the Prometheus scraping it."""

    prometheus: PrometheusServer
    worker_url: str
    posts_sent: int
    gold_alerts: int


@pytest.fixture(scope="module")
def scraped(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scraped]:
    binary = prometheus_binary()
    tmp = tmp_path_factory.mktemp("prometheus")
    run_id = uuid.uuid4().hex[:8]
    env = {
        "LIVEWIRE_BROKER": kafka_bootstrap,
        "LIVEWIRE_APP_ID": f"livewire-prom-{run_id}",
        "LIVEWIRE_TOPIC_PREFIX": f"p{run_id}.",
        "LIVEWIRE_PARTITIONS": str(PARTITIONS),
        "LIVEWIRE_DATA_DIR": str(tmp / "worker"),
    }
    worker = WorkerProcess(env=env, log_path=tmp / "worker.log")
    prometheus = PrometheusServer(binary, tmp / "prometheus", targets=[f"127.0.0.1:{worker.web_port}"])
    try:
        worker.start()
        prometheus.start()
        worker.wait_ready(timeout=120)
        prometheus.wait_ready(timeout=60)
        prometheus.wait_for('up{job="livewire"}', lambda v: v == 1)
        ingest = subprocess.run(
            [sys.executable, "-m", "streams", "ingest", str(SEED)],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        sent = re.search(r"sent (\d+) posts", ingest.stderr)
        assert sent, ingest.stderr
        gold = json.loads(GOLD.read_text())
        yield Scraped(prometheus, worker.url, int(sent.group(1)), len(gold["alerts"]))
    finally:
        prometheus.stop()
        worker.stop()


def test_prometheus_counts_every_seed_post_through_each_stage(scraped):
    prom = scraped.prometheus
    for stage in ("validate", "dedupe", "enrich"):
        query = f'streams_messages_total{{stage="{stage}",outcome="ok"}}'
        prom.wait_for(query, lambda v: v == scraped.posts_sent)
    assert prom.scalar('streams_messages_total{stage="validate",outcome="dead_lettered"}') == 0
    assert prom.scalar('streams_messages_total{stage="dedupe",outcome="duplicate"}') == 0


def test_prometheus_latency_histogram_counts_one_observation_per_alert(scraped):
    prom = scraped.prometheus
    prom.wait_for('streams_alert_latency_seconds_count{since="ingested"}', lambda v: v == scraped.gold_alerts)
    assert prom.scalar('streams_alert_latency_seconds_bucket{since="ingested",le="+Inf"}') == scraped.gold_alerts
    assert prom.scalar("sum(streams_alerts_total)") == scraped.gold_alerts
    median = prom.scalar('histogram_quantile(0.5, streams_alert_latency_seconds_bucket{since="ingested"})')
    assert median is not None
    assert 0 < median < float("inf")


def test_prometheus_sees_lag_drain_to_zero_on_every_owned_partition(scraped):
    prom = scraped.prometheus
    prom.wait_for('streams_messages_total{stage="enrich",outcome="ok"}', lambda v: v == scraped.posts_sent)
    prom.wait_for("sum(streams_consumer_lag_messages)", lambda v: v == 0)
    owned = prom.scalar("sum(streams_assigned_partitions)")
    source_topics = prom.scalar("count(streams_assigned_partitions)")
    assert owned == PARTITIONS * source_topics
    assert prom.scalar("count(streams_consumer_lag_messages)") == owned


def test_prometheus_reads_worker_info_and_table_sizes(scraped):
    prom = scraped.prometheus
    prom.wait_for("count(streams_worker_info)", lambda v: v == 1)
    (info,) = prom.query("streams_worker_info")
    assert kafka_version().startswith(info["metric"]["kafka_version"])
    prom.wait_for('streams_table_keys{table="claims.ledger"}', lambda v: v is not None and v > 0)
    prom.wait_for('streams_table_keys{table="posts.seen"}', lambda v: v is not None and v >= scraped.posts_sent)
