"""The bench's outputs: a Markdown table, the JSON of every figure, and a PNG chart."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Final

import orjson

TABLE_START: Final = "<!-- bench:start -->"
TABLE_END: Final = "<!-- bench:end -->"
_BLOCK: Final = re.compile(re.escape(TABLE_START) + r".*?" + re.escape(TABLE_END), re.DOTALL)


def _figure(row: dict[str, Any]) -> str:
    value = row.get("value")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return f"unavailable: {row.get('unavailable', 'no figure')}"
    unit = row.get("unit", "")
    if value == 0:
        text = "0"
    elif abs(value) >= 100:
        text = f"{value:,.0f}"
    else:
        text = f"{value:,.1f}" if abs(value) >= 1 else f"{value:.3f}"
    return f"{text} {unit}".strip()


def render_table(result: dict[str, Any]) -> str:
    """One Markdown table of every row, with its target and how far it is from it."""
    lines = [
        "| row | figure | target | vs target | how it was measured |",
        "|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['name']} | {_figure(row)} | {row.get('target', '')} | {row.get('verdict', '')} "
            f"| {row.get('note', '')} |"
        )
    meta = result["meta"]
    lines.append("")
    lines.append(
        f"{meta['mode']} run, {meta['started']}, {meta['cpus']} cores shared with other work "
        f"(load average {meta['load_before']} before, {meta['load_after']} after), "
        f"workload: {result['workload']['posts']:,} generated posts of {result['workload']['mean_bytes']:,} bytes "
        f"on average, commit {meta['commit']}."
    )
    return "\n".join(lines)


def write_json(result: dict[str, Any], path: Path) -> None:
    """Every figure of the run, indented."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY) + b"\n")


def write_markdown(table: str, path: Path, *, chart: str | None) -> None:
    """Put the table between the bench markers of ``path``, keeping the hand-written text around it."""
    block = f"{TABLE_START}\n{table}\n"
    if chart:
        block += f"\n![throughput and latency]({chart})\n"
    block += TABLE_END
    if path.is_file():
        text = path.read_text()
        text = _BLOCK.sub(lambda _: block, text) if _BLOCK.search(text) else f"{text.rstrip()}\n\n{block}\n"
    else:
        text = f"# Performance\n\nWritten by `livewire bench`.\n\n{block}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def write_chart(result: dict[str, Any], path: Path) -> str | None:
    """Throughput bars and latency-vs-load curves as a PNG; returns why not when matplotlib is missing."""
    try:
        import matplotlib as mpl

        mpl.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed (pip install -e '.[bench]')"
    bars = [(r["short"], r["value"]) for r in result["rows"] if r.get("chart") == "throughput" and r.get("value")]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    names = [name for name, _ in bars]
    values = [value for _, value in bars]
    left.barh(names[::-1], values[::-1], color="#3b6ea5")
    for y, value in enumerate(values[::-1]):
        left.text(value, y, f" {value:,.0f}", va="center", fontsize=8)
    left.set_xscale("log")
    left.set_xlabel("posts per second (log scale)")
    left.set_title("Throughput")
    loads = result.get("latency", [])
    offered = [point["offered"] for point in loads]
    for output, style in (("enriched_ms", "-"), ("alerts_ms", "--")):
        for quantile, colour in (("p50", "#2a9d8f"), ("p95", "#e9c46a"), ("p99", "#e76f51")):
            ys = [point[output][quantile] for point in loads]
            label = f"{quantile} to {'posts.enriched' if output == 'enriched_ms' else 'alerts'}"
            right.plot(offered, ys, style, marker="o", color=colour, label=label)
    right.axhline(100, color="grey", linewidth=0.8, linestyle=":")
    right.set_yscale("log")
    right.set_xlabel("offered load, posts per second")
    right.set_ylabel("latency from ingest, ms (log scale)")
    right.set_title("Latency vs load (dotted: 100 ms)")
    right.legend(fontsize=7)
    fig.suptitle(f"livewire bench ({result['meta']['mode']}, {result['meta']['started']})", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None
