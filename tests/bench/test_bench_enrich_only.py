"""`livewire bench --only enrich`: the enrich and spaCy rows alone, no broker, nothing written (no speed asserted)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_only_enrich_prints_the_enrich_rows_and_writes_nothing(tmp_path):
    env = {**os.environ, "LIVEWIRE_BROKER": "127.0.0.1:1", "LIVEWIRE_STATE_DIR": str(tmp_path / "state")}
    done = subprocess.run(
        [sys.executable, "-m", "streams", "bench", "--only", "enrich", "--quick", "--enrich-posts", "60"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = {line.split(" | ")[0].lstrip("| "): line for line in done.stdout.splitlines() if line.startswith("| ")}
    enrich = rows["enrich alone (in-process, one core)"]
    assert "posts/s" in enrich.split(" | ")[1] and "60 posts per CPU-second" in enrich
    assert "spaCy en_core_web_sm NER (one core)" in rows
    assert "ceiling: bare aiokafka consume -> produce" not in rows  # no broker row ran (the broker is unreachable)
    assert "enrich only" in done.stdout
    assert not list(tmp_path.iterdir())  # no JSON, chart or state written
