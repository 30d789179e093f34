"""Run every bench row in one go on one broker and one workload, then write the table, JSON and chart."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
import os
import platform
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import orjson

from streams import localkafka
from streams.bench import pipeline as pl
from streams.bench.kafkarows import Progress, Rate, TopicSizes, ceiling, produce_all
from streams.bench.report import render_table, write_chart, write_json, write_markdown
from streams.bench.workload import describe

REPO_ROOT: Final = Path(__file__).resolve().parents[2]
DOCS: Final = REPO_ROOT / "docs"

FLOOR_TARGET: Final = 0.5
SPACY_TARGET: Final = 20.0
ENRICH_TARGET: Final = 1000.0
P99_TARGET_MS: Final = 100.0
RSS_TARGET_MB: Final = 300.0


@dataclass(frozen=True)
class Plan:
    """How much of each row to run."""

    mode: str
    kafka_posts: int
    pipeline_posts: int
    enrich_posts: int
    spacy_posts: int
    loads: tuple[float, ...]
    load_seconds: float
    drain_seconds: float
    """How long latency waits for outputs after the last send before it reports the rest as missing."""
    scale_posts: int
    worker_per_load: bool
    """A fresh worker and topics for each load, so a load the pipeline cannot hold leaves no backlog behind."""


FULL: Final = Plan("full", 50_000, 200_000, 5_000, 1_000, (100.0, 500.0, 1000.0), 30.0, 60.0, 30_000, True)
# A smoke run of every row: small enough for CI on two shared cores, so loads are light too.
QUICK: Final = Plan("quick", 1_500, 600, 300, 100, (20.0, 50.0, 100.0), 2.0, 15.0, 400, False)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip()


def _ratio(value: float, target: float) -> str:
    if not target or math.isnan(value):
        return ""
    ratio = value / target
    mark = "met" if ratio >= 1 else f"misses by {(1 - ratio) * 100:.0f}%"
    return f"{ratio:.2f}× target, {mark}"


def _enrich_rows(plan: Plan, progress: Progress) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    progress(f"[1/5] enrich alone vs spaCy NER on one core ({plan.enrich_posts:,} / {plan.spacy_posts:,} posts)")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "streams.bench.enrichrate", str(plan.enrich_posts), str(plan.spacy_posts)],
        capture_output=True,
        env=env,
        check=False,
        timeout=1800,
    )
    if done.returncode != 0:
        msg = f"enrich bench failed: {done.stderr.decode(errors='replace')[-2000:]}"
        raise RuntimeError(msg)
    raw: dict[str, Any] = orjson.loads(done.stdout.splitlines()[-1])
    enrich = raw["enrich"]
    enrich_rate = enrich["posts"] / enrich["cpu_seconds"]
    rows = [
        {
            "name": "enrich alone (in-process, one core)",
            "short": "enrich, 1 core",
            "value": enrich_rate,
            "unit": "posts/s",
            "target": f"≥ {ENRICH_TARGET:,.0f} posts/s (issue 3)",
            "verdict": _ratio(enrich_rate, ENRICH_TARGET),
            "note": f"{enrich['posts']:,} posts per CPU-second on one pinned core, "
            f"{'stages compiled with mypyc' if enrich.get('compiled') else 'pure-Python stages'}; wall-clock "
            f"{enrich['per_second']:,.0f}/s on the shared core",
            "chart": "throughput",
        }
    ]
    spacy = raw["spacy"]
    if "unavailable" in spacy:
        rows.append(
            {
                "name": "spaCy en_core_web_sm NER (one core)",
                "short": "spaCy NER",
                "value": None,
                "unavailable": spacy["unavailable"],
                "target": f"enrich ≥ {SPACY_TARGET:.0f}× this",
            }
        )
    else:
        spacy_rate = spacy["posts"] / spacy["cpu_seconds"]
        times = enrich_rate / spacy_rate
        rows.append(
            {
                "name": "spaCy en_core_web_sm NER (one core)",
                "short": "spaCy NER, 1 core",
                "value": spacy_rate,
                "unit": "posts/s",
                "target": f"enrich ≥ {SPACY_TARGET:.0f}× this",
                "verdict": f"enrich is {times:.1f}× spaCy: " + _ratio(times, SPACY_TARGET),
                "note": f"{spacy['model']}, nlp.pipe over the first {spacy['posts']:,} of the same posts, "
                f"per CPU-second; wall-clock {spacy['per_second']:,.0f}/s",
                "chart": "throughput",
            }
        )
    f1 = raw.get("entity_f1", {})
    if "enrich" in f1:
        versus = f"spaCy NER in its place {f1['spacy']:.3f}" if "spacy" in f1 else "spaCy unavailable"
        rows.append(
            {
                "name": "entity F1 on the scored live blogs",
                "short": "entity F1",
                "value": f1["enrich"],
                "unit": "F1",
                "target": "higher than spaCy's",
                "verdict": ("met" if f1["enrich"] > f1["spacy"] else "not met") if "spacy" in f1 else "",
                "note": f"enrich {f1['enrich']:.3f}, {versus} (GPE/LOC/FAC as PLACE); shared scorer, "
                f"micro-averaged over {f1['blogs']} annotated blogs",
            }
        )
    elif f1:
        rows.append({"name": "entity F1 on the scored live blogs", "value": None, "unavailable": f1["unavailable"]})
    return rows, raw


async def _kafka_rows(plan: Plan, bootstrap: str, run: str, folder: Path, progress: Progress) -> list[dict[str, Any]]:
    source, ceiling_sink, floor_sink = f"{run}-kafka.source", f"{run}-kafka.ceiling", f"{run}-kafka.floor"
    from streams.kafkaio import ensure_topics

    ensure_topics(bootstrap, [source, ceiling_sink, floor_sink], partitions=pl.PARTITIONS, replication_factor=1)
    posts = pl.pipeline_posts(plan.kafka_posts)
    progress(f"[2/5] ceiling and framework floor: loading {len(posts):,} posts")
    await produce_all(bootstrap, source, posts, progress=progress)
    progress("  ceiling: bare aiokafka consume -> produce")
    bare = await ceiling(bootstrap, source, ceiling_sink, len(posts), progress=progress)
    progress(f"  ceiling: {bare.per_second:,.0f} posts/s; framework floor: a faust agent forwarding bytes")
    stage = pl.Stage(bootstrap, f"{run}-floor", folder / "floor")
    stage.folder.mkdir(parents=True, exist_ok=True)
    env = {
        "BENCH_FLOOR_BROKER": bootstrap,
        "BENCH_FLOOR_APP_ID": stage.name,
        "BENCH_FLOOR_DATA_DIR": str(stage.folder / "data"),
        "BENCH_FLOOR_SOURCE": source,
        "BENCH_FLOOR_SINK": floor_sink,
    }
    with pl.workers(stage, 1, args=("-m", "streams.bench.floor", "worker", "-l", "warn"), env=env):
        floor = await _sink_rate(bootstrap, floor_sink, len(posts), progress)
    progress(f"  framework floor: {floor.per_second:,.0f} posts/s")
    return [
        {
            "name": "ceiling: bare aiokafka consume -> produce",
            "short": "ceiling (aiokafka)",
            "value": bare.per_second,
            "unit": "posts/s",
            "note": f"{bare.posts:,} posts, acks=all, commit per poll of 500",
            "chart": "throughput",
        },
        {
            "name": "framework floor: faust agent forwarding bytes",
            "short": "framework floor (faust)",
            "value": floor.per_second,
            "unit": "posts/s",
            "verdict": f"{floor.per_second / bare.per_second:.2f}× ceiling" if bare.per_second else "",
            "note": f"{floor.posts:,} posts, same faust settings as the worker, own process",
            "chart": "throughput",
        },
    ]


async def _sink_rate(bootstrap: str, sink: str, count: int, progress: Progress) -> Rate:
    """Time a topic filling up to ``count`` records, from the first poll that saw any."""
    from streams.bench.kafkarows import Ticker

    ticker = Ticker(progress, "framework floor")
    first: tuple[float, int] | None = None
    stalled = pl.Stall()
    async with TopicSizes(bootstrap) as sizes:
        while True:
            size = await sizes.total(sink)
            stalled.check(size)
            now = time.monotonic()
            if first is None and size > 0:
                first = (now, size)
            if first is not None:
                ticker.tick(size, count, first[0])
                if size >= count:
                    return Rate(count - first[1], now - first[0])
            await asyncio.sleep(pl.POLL_S)


async def _pipeline_rows(
    plan: Plan, bootstrap: str, run: str, folder: Path, progress: Progress, floor: float
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    stage = pl.Stage(bootstrap, f"{run}-pipe", folder / "pipe")
    pl.prepare(stage)
    progress(f"[3/5] pipeline: one worker, {plan.pipeline_posts:,} posts -> posts.enriched and alerts")
    posts = pl.pipeline_posts(plan.pipeline_posts)
    rows: list[dict[str, Any]] = []
    with pl.workers(stage, 1) as procs:
        await pl.warm_up(stage, procs)
        result = await pl.throughput(stage, procs, posts, progress=progress, label="pipeline")
        pid = procs[0].process.pid if procs[0].process else 0
        peak, now_rss = pl.peak_rss_mb(pid)
        counts = await pl.worker_counts(procs)
        progress(f"  pipeline: {result.enriched.per_second:,.0f} posts/s; worker peak RSS {peak:,.0f} MB")
        rows += [
            {
                "name": "pipeline: posts.raw -> posts.enriched",
                "short": "pipeline, 1 worker",
                "value": result.enriched.per_second,
                "unit": "posts/s",
                "target": f"≥ {FLOOR_TARGET}× framework floor",
                "verdict": _ratio(result.enriched.per_second, FLOOR_TARGET * floor),
                "note": f"{result.enriched.posts:,} posts (8% re-deliveries, copies, edits), the real worker "
                "(validate, dedupe, enrich, claims), loaded while it runs",
                "chart": "throughput",
            },
            {
                "name": "pipeline: posts.raw -> alerts (ledger drained)",
                "short": "pipeline to alerts",
                "value": result.alerts.per_second,
                "unit": "posts/s",
                "note": "until every claim event has passed the ledger",
            },
            {
                "name": f"memory: worker peak RSS after {plan.pipeline_posts:,} posts",
                "short": "peak RSS",
                "value": peak,
                "unit": "MB",
                "target": f"≤ {RSS_TARGET_MB:.0f} MB",
                "verdict": _ratio(RSS_TARGET_MB, peak) if peak else "",
                "note": f"now {now_rss:,.0f} MB; RSS (MB) by posts handled: "
                + ", ".join(f"{n:,}: {mb:,.0f}" for n, mb in result.rss_curve[::2])
                + (f"; table keys: {counts.tables}" if counts.tables else ""),
            },
        ]
        if not plan.worker_per_load:
            latency_points = [await _latency(plan, stage, load, progress) for load in plan.loads]
    if plan.worker_per_load:
        latency_points = []
        for load in plan.loads:
            fresh = pl.Stage(bootstrap, f"{run}-load{load:.0f}", folder / f"load{load:.0f}")
            pl.prepare(fresh)
            with pl.workers(fresh, 1) as procs:
                await pl.warm_up(fresh, procs)
                latency_points.append(await _latency(plan, fresh, load, progress))
            pl.drop_topics(bootstrap, fresh.prefix, f"{fresh.name}-")
    held = [p["offered"] for p in latency_points if p["alerts_ms"]["p99"] < P99_TARGET_MS and not p["missing"]]
    for p in latency_points:
        e, a = p["enriched_ms"], p["alerts_ms"]
        rows.append(
            {
                "name": f"latency at {p['offered']:,.0f} posts/s: p50 / p95 / p99 to alerts",
                "short": f"latency {p['offered']:.0f}",
                "value": a["p99"],
                "unit": "ms p99",
                "target": f"p99 ≤ {P99_TARGET_MS:.0f} ms at 500/s" if p["offered"] == 500 else "",
                "verdict": _ratio(P99_TARGET_MS, a["p99"]) if p["offered"] == 500 else "",
                "note": f"alerts {a['p50']:,.0f} / {a['p95']:,.0f} / {a['p99']:,.0f} ms ({p['alerts_count']:,}); "
                f"posts.enriched {e['p50']:,.0f} / {e['p95']:,.0f} / {e['p99']:,.0f} ms ({p['enriched_count']:,}); "
                f"sent at {p['achieved']:,.0f}/s for {p['seconds']:.0f} s"
                + (
                    f"; {p['missing']:,} posts not yet out {plan.drain_seconds:.0f} s after the last send, so these "
                    "percentiles (of what arrived) are a lower bound: this load is beyond what the pipeline sustains"
                    if p["missing"]
                    else ""
                ),
            }
        )
    rows.append(
        {
            "name": "highest offered load held with p99 < 100 ms (ingest -> alerts)",
            "short": "load held",
            "value": max(held) if held else 0.0,
            "unit": "posts/s",
            "note": "of the loads tried: " + ", ".join(f"{p['offered']:,.0f}" for p in latency_points),
        }
    )
    pl.drop_topics(bootstrap, stage.prefix, f"{stage.name}-")
    return rows, latency_points


async def _latency(plan: Plan, stage: pl.Stage, load: float, progress: Progress) -> dict[str, Any]:
    progress(f"[4/5] latency at {load:,.0f} posts/s for {plan.load_seconds:.0f} s")
    point = await pl.latency(stage, rate=load, seconds=plan.load_seconds, drain=plan.drain_seconds, progress=progress)
    e99, a99 = point.enriched_ms["p99"], point.alerts_ms["p99"]
    progress(f"  p99 to posts.enriched {e99:,.0f} ms, to alerts {a99:,.0f} ms; {point.missing:,} not out yet")
    return dict(point.__dict__)


async def _scale_rows(
    plan: Plan, bootstrap: str, run: str, folder: Path, progress: Progress, one_worker: float
) -> list[dict[str, Any]]:
    rates = {}
    if plan.mode == "quick":
        # A smoke run saves a worker start: one worker's figure is the pipeline row's.
        rates[1] = one_worker
    for count in (1, 2):
        if count in rates:
            continue
        stage = pl.Stage(bootstrap, f"{run}-scale{count}", folder / f"scale{count}")
        pl.prepare(stage)
        progress(f"[5/5] scale-out: {count} worker(s) in one group, {plan.scale_posts:,} posts")
        posts = pl.pipeline_posts(plan.scale_posts, seed=11)
        with pl.workers(stage, count) as procs:
            await pl.warm_up(stage, procs)
            result = await pl.throughput(stage, procs, posts, progress=progress, label=f"{count} worker(s)")
        rates[count] = result.enriched.per_second
        progress(f"  {count} worker(s): {rates[count]:,.0f} posts/s")
        pl.drop_topics(bootstrap, stage.prefix, f"{stage.name}-")
    return [
        {
            "name": "scale-out: one worker",
            "short": "scale-out, 1 worker",
            "value": rates[1],
            "unit": "posts/s",
            "note": f"{plan.scale_posts:,} posts, {pl.PARTITIONS} partitions"
            + (" (quick run: the pipeline row's figure)" if plan.mode == "quick" else ""),
            "chart": "throughput",
        },
        {
            "name": "scale-out: two workers, one group",
            "short": "scale-out, 2 workers",
            "value": rates[2],
            "unit": "posts/s",
            "verdict": f"{rates[2] / rates[1]:.2f}× one worker" if rates[1] else "",
            "note": f"on {os.cpu_count()} cores shared with the broker and the load generator",
            "chart": "throughput",
        },
    ]


async def _broker_rows(
    plan: Plan, bootstrap: str, run: str, folder: Path, progress: Progress
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    try:
        kafka_rows = await _kafka_rows(plan, bootstrap, run, folder, progress)
        floor = float(kafka_rows[1]["value"])
        pipe_rows, latency = await _pipeline_rows(plan, bootstrap, run, folder, progress, floor)
        scale_rows = await _scale_rows(plan, bootstrap, run, folder, progress, float(pipe_rows[0]["value"]))
    finally:
        pl.drop_topics(bootstrap, f"{run}-")
    return [*kafka_rows, *pipe_rows, *scale_rows], latency


def run_bench(
    bootstrap: str, *, quick: bool, out: Path, progress: Progress, overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Run every row, write ``bench.json``, ``bench.png`` and the table in ``performance.md`` under ``out``.

    ``overrides`` replaces plan fields (``pipeline_posts``, ``scale_posts``, ...) for a machine too slow or
    too busy for the issue's counts; the JSON and the table say which counts were used.
    """
    plan = dataclasses.replace(QUICK if quick else FULL, **{k: v for k, v in (overrides or {}).items() if v})
    # aiokafka warns on every retry while a new group's coordinator is being set up; retries are expected here.
    logging.getLogger("aiokafka").setLevel(logging.ERROR)
    run = f"bench-{uuid.uuid4().hex[:6]}"
    folder = localkafka.default_state_dir() / "bench" / run
    meta: dict[str, Any] = {
        "mode": plan.mode,
        "plan": dataclasses.asdict(plan),
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_before": _load(),
        "uptime_before": _uptime(),
    }
    started = time.monotonic()
    progress(f"livewire bench ({plan.mode}) on {bootstrap}; load average {meta['load_before']}")
    enrich_rows, enrich_raw = _enrich_rows(plan, progress)
    broker_rows, latency = asyncio.run(_broker_rows(plan, bootstrap, run, folder, progress))
    meta["load_after"] = _load()
    meta["uptime_after"] = _uptime()
    meta["seconds"] = round(time.monotonic() - started, 1)
    workload = describe(pl.pipeline_posts(min(plan.pipeline_posts, 5_000)))
    result: dict[str, Any] = {
        "meta": meta,
        "workload": workload,
        # ceiling, floor and the two pipeline rows, then enrich beside spaCy, then latency, memory, scale-out
        "rows": [*broker_rows[:4], *enrich_rows, *broker_rows[4:]],
        "latency": latency,
        "enrich_raw": enrich_raw,
    }
    stem = "bench" if plan.mode == "full" else "bench-quick"
    chart_path = out / f"{stem}.png"
    chart_missing = write_chart(result, chart_path)
    meta["chart"] = chart_missing or chart_path.name
    write_json(result, out / f"{stem}.json")
    table = render_table(result)
    if plan.mode == "full":
        write_markdown(table, out / "performance.md", chart=None if chart_missing else chart_path.name)
    result["table"] = table
    return result


def run_enrich_only(*, quick: bool, progress: Progress, enrich_posts: int | None = None) -> dict[str, Any]:
    """Only the enrich-alone and spaCy rows (no broker, nothing written): a quick check of extraction speed.

    The full run's table in ``performance.md`` stays the lead's; this prints its rows for comparison.
    """
    plan = QUICK if quick else FULL
    if enrich_posts:
        plan = dataclasses.replace(plan, enrich_posts=enrich_posts)
    meta: dict[str, Any] = {
        "mode": f"{plan.mode}, enrich only",
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit(),
        "cpus": os.cpu_count(),
        "load_before": _load(),
    }
    rows, raw = _enrich_rows(plan, progress)
    meta["load_after"] = _load()
    result: dict[str, Any] = {
        "meta": meta,
        "workload": describe(pl.pipeline_posts(min(plan.enrich_posts, 5_000))),
        "rows": rows,
        "enrich_raw": raw,
    }
    result["table"] = render_table(result)
    return result


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return _load()
