"""The development set: every annotated blog is well formed, and the parser splits it into the gold posts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.evaluate import load_scorer
from streams.extract import extract_liveblog

REPO = Path(__file__).resolve().parents[2]
DEVSET = REPO / "tests" / "data" / "devset"
SCORER = REPO.parent / "shared" / "eval" / "score.py"
GOLDS = sorted(DEVSET.glob("*.gold.json"))


def test_devset_has_the_size_issue_3_asks_for():
    posts = sum(len(json.loads(p.read_text(encoding="utf-8"))["posts"]) for p in GOLDS)
    assert len(GOLDS) >= 10
    assert posts >= 100


@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.name)
def test_devset_gold_scores_perfectly_against_itself(gold_path: Path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    report = load_scorer(SCORER)(gold, gold)
    assert all(report[m]["f1"] == 1.0 for m in ("posts", "entities", "quantities", "claims", "alerts"))
    assert [p["index"] for p in gold["posts"]] == list(range(len(gold["posts"])))


@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.name)
def test_devset_blog_splits_into_the_gold_posts(gold_path: Path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = (gold_path.parent / gold["text_file"]).read_text(encoding="utf-8")
    report = load_scorer(SCORER)(gold, extract_liveblog(text))
    assert report["posts"]["f1"] == 1.0
