from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from streams.extract import extract_liveblog

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared"
SEED = SHARED / "seed" / "kursk-liveblog.txt"
GOLD = SHARED / "eval" / "kursk-liveblog.gold.json"
SCORE = SHARED / "eval" / "score.py"
SAMPLE = REPO / "streams" / "samples" / "kursk-liveblog.txt"
FLOORS = ["alerts=1.0", "claims=0.9", "quantities=0.9", "entities=0.85"]


@pytest.fixture(scope="module")
def shared() -> Path:
    # CI clones the repo with shared/ beside it; without it these checks cannot run, which is a failure.
    if not SEED.is_file() or not GOLD.is_file() or not SCORE.is_file():
        pytest.fail(f"shared/ not found beside the repo at {SHARED.resolve()}")
    return SHARED


@pytest.fixture(scope="module")
def seed_output(shared: Path) -> dict[str, Any]:
    # Through the command line, exactly as a user (and the scorer's README line) runs it.
    result = subprocess.run(
        [sys.executable, "-m", "streams", "extract", str(SEED)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    output: dict[str, Any] = json.loads(result.stdout)
    assert output == extract_liveblog(SEED.read_text(encoding="utf-8"))
    return output


def score(tmp_path: Path, output: dict[str, Any], *extra: str) -> subprocess.CompletedProcess[str]:
    pred = tmp_path / "out.json"
    pred.write_text(json.dumps(output, ensure_ascii=False), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(SCORE), str(GOLD), str(pred), *extra],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_extract_seed_meets_the_score_floors(tmp_path: Path, seed_output: dict[str, Any]) -> None:
    args = [arg for floor in FLOORS for arg in ("--min", floor)]
    result = score(tmp_path, seed_output, *args)
    assert result.returncode == 0, result.stdout + result.stderr


def test_extract_seed_splits_every_gold_post(tmp_path: Path, seed_output: dict[str, Any]) -> None:
    report = json.loads(score(tmp_path, seed_output, "--json").stdout)
    assert report["posts"]["f1"] == 1.0
    assert len(seed_output["posts"]) == len(json.loads(GOLD.read_text(encoding="utf-8"))["posts"])


def test_extract_seed_has_the_format_shape(seed_output: dict[str, Any]) -> None:
    post = seed_output["posts"][0]
    assert set(post) >= {"index", "headline", "categories", "entities", "quantities", "claims", "duplicate_of"}
    assert {"text", "type"} <= set(post["entities"][0])
    alert = seed_output["alerts"][0]
    assert set(alert) == {"after_post", "type", "metric", "value", "place"}


def alert_keys(alerts: list[dict[str, Any]]) -> Counter[tuple[str, str, float]]:
    return Counter((a["type"], a["metric"], float(a["value"])) for a in alerts)


def test_extract_sample_raises_the_same_alerts_as_the_gold(shared: Path) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    output = extract_liveblog(SAMPLE.read_text(encoding="utf-8"))
    assert alert_keys(output["alerts"]) == alert_keys(gold["alerts"])


def test_extract_liveblog_is_deterministic() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    assert extract_liveblog(text) == extract_liveblog(text)


def test_extract_liveblog_replays_oldest_first() -> None:
    blog = (
        "Flood live\n\n"
        "Toll rises to 12\n\nThe death toll in Valencia has risen to 12, officials said.\n\n"
        "Five dead in floods\n\nAt least five people have died in floods in Valencia, officials said.\n"
    )
    alerts = extract_liveblog(blog)["alerts"]
    assert [(a["after_post"], a["type"], a["value"]) for a in alerts] == [
        (1, "new_claim", 5),
        (0, "claim_update", 12),
    ]


def test_extract_liveblog_stays_silent_on_a_restatement() -> None:
    blog = (
        "Flood live\n\n"
        "Thousands displaced\n\nMore than 100,000 people have fled Valencia, officials said.\n\n"
        "Exodus from Valencia\n\nSome 121,000 people have fled Valencia, officials said.\n"
    )
    alerts = extract_liveblog(blog)["alerts"]
    assert [(a["after_post"], a["type"], a["value"]) for a in alerts] == [(1, "new_claim", 121000)]
