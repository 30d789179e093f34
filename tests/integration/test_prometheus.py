"""A real Prometheus scrapes a real worker that processes the seed live blog; the API shows the pipeline."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
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


def _livewire(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


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
        # The production store, so the table-size gauges are read from RocksDB.
        "LIVEWIRE_STORE": "rocksdb://",
    }
    worker = WorkerProcess(env=env, log_path=tmp / "worker.log")
    prometheus = PrometheusServer(binary, tmp / "prometheus", targets=[f"127.0.0.1:{worker.web_port}"])
    try:
        # As the containers do: the one-shot initialiser first, then the worker.
        _livewire(env, "topics", "create")
        worker.start()
        prometheus.start()
        worker.wait_ready(timeout=120)
        prometheus.wait_ready(timeout=60)
        prometheus.wait_for('up{job="livewire"}', lambda v: v == 1)
        ingest = _livewire(env, "ingest", str(SEED))
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


# --- the Grafana dashboard against the same worker and Prometheus ------------------------------

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "dashboards" / "livewire.json"
_PROMQL_WORDS = {
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "bool",
    "offset",
    "and",
    "or",
    "unless",
}


def dashboard_queries() -> list[str]:
    """Every PromQL expression of the dashboard's panels."""
    dashboard = json.loads(DASHBOARD.read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (not functions, label names or keywords)."""
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', expr)  # string literals
    text = re.sub(r"\{[^}]*\}", "", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)  # range selectors
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)  # label lists
    names = set()
    for match in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", text):
        following = text[match.end() :].lstrip()
        if not following.startswith("(") and match.group() not in _PROMQL_WORDS:
            names.add(match.group())
    return names


def test_metric_names_reads_selectors_not_functions():
    expr = 'histogram_quantile(0.95, sum by (le, stage) (rate(streams_stage_duration_seconds_bucket{stage="x"}[1m])))'
    assert metric_names(expr) == {"streams_stage_duration_seconds_bucket"}


def test_every_metric_the_dashboard_queries_is_on_the_workers_metrics_page(scraped):
    from prometheus_client.parser import text_string_to_metric_families

    scraped.prometheus.wait_for("count(streams_worker_info)", lambda v: v == 1)
    with urllib.request.urlopen(f"{scraped.worker_url}/metrics", timeout=10) as response:
        exposed = {s.name for f in text_string_to_metric_families(response.read().decode()) for s in f.samples}
    queried = set().union(*(metric_names(expr) for expr in dashboard_queries()))
    assert queried, "the dashboard queries nothing"
    assert queried - exposed == set()


def test_every_dashboard_query_returns_data_from_prometheus(scraped):
    prom = scraped.prometheus
    prom.wait_for("sum(streams_consumer_lag_messages)", lambda v: v == 0)
    for expr in dashboard_queries():
        # Grafana's $__rate_interval is at least four scrape intervals; 1m covers that here.
        promql = expr.replace("$__rate_interval", "1m")
        assert prom.query(promql), f"no series for {promql}"
