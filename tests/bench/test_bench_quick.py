"""`livewire bench --quick` on the session's real broker: every row produces a figure (no speed is asserted)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

ROWS = (
    "ceiling",
    "framework floor",
    "pipeline: posts.raw -> posts.enriched",
    "pipeline: posts.raw -> alerts",
    "enrich alone",
    "spaCy",
    "entity F1",
    "memory",
    "latency at",
    "highest offered load",
    "scale-out: one worker",
    "scale-out: two workers",
)


def test_quick_bench_gives_every_row_a_figure(kafka_bootstrap, tmp_path):
    env = {**os.environ, "LIVEWIRE_BROKER": kafka_bootstrap, "LIVEWIRE_STATE_DIR": str(tmp_path / "state")}
    done = subprocess.run(
        [sys.executable, "-m", "streams", "bench", "--quick", "--out", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    result = json.loads((tmp_path / "bench-quick.json").read_text())
    rows = result["rows"]
    for prefix in ROWS:
        assert any(row["name"].startswith(prefix) for row in rows), f"no {prefix!r} row"
    assert sum(row["name"].startswith("latency at") for row in rows) == 3
    for row in rows:
        if row.get("value") is None:
            # Only the spaCy baseline (or the scorer beside it) may be missing, and then it must say why.
            assert row["name"].startswith(("spaCy", "entity F1")), row
            assert row["unavailable"].strip(), row
        else:
            assert math.isfinite(row["value"]) and row["value"] >= 0, row
            assert row["name"] in done.stdout
    assert result["meta"]["load_before"] and result["meta"]["uptime_after"]
    chart = tmp_path / "bench-quick.png"
    if result["meta"]["chart"] == chart.name:
        assert chart.read_bytes().startswith(b"\x89PNG")
    else:
        assert "matplotlib" in result["meta"]["chart"]
