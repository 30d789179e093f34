"""The near-copy threshold, measured on labelled pairs (docs/dedupe.md), separates them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.dedupe_eval import LabelledPair, labelled_pairs, render, scores, sweep
from streams.extract import extract_liveblog
from streams.stages.dedupe import NEAR_COPY_THRESHOLD, anchor_keys, resemblance, sketch

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seed" / "kursk-liveblog.txt"
DEVSET = REPO / "tests" / "data" / "devset"


@pytest.fixture(scope="module")
def pairs() -> list[LabelledPair]:
    return labelled_pairs()


def test_labelled_pairs_hold_copies_and_hard_negatives_in_both_splits(pairs: list[LabelledPair]) -> None:
    for split in ("tune", "check"):
        chosen = [p for p in pairs if p.split == split]
        assert sum(p.copy for p in chosen) >= 3
        assert sum(not p.copy for p in chosen) >= 100


def test_chosen_threshold_separates_the_tuning_pairs(pairs: list[LabelledPair]) -> None:
    scored = scores([p for p in pairs if p.split == "tune"], resemblance)
    missed = [p.why for p, s in scored if p.copy and s < NEAR_COPY_THRESHOLD]
    false = [p.why for p, s in scored if not p.copy and s >= NEAR_COPY_THRESHOLD]
    assert missed == []
    assert false == []


def test_chosen_threshold_calls_no_false_copy_on_the_check_split(pairs: list[LabelledPair]) -> None:
    (row,) = sweep(scores([p for p in pairs if p.split == "check"], resemblance), [NEAR_COPY_THRESHOLD])
    assert row.fp == 0
    assert row.tp >= 2


def test_every_labelled_copy_shares_an_anchor_with_its_original(pairs: list[LabelledPair]) -> None:
    # The worker only compares a post with the posts its anchors lead to.
    lost = [p.why for p in pairs if p.copy and not set(anchor_keys(sketch(p.a))) & set(anchor_keys(sketch(p.b)))]
    assert lost == []


def test_docs_show_the_current_measurement(pairs: list[LabelledPair]) -> None:
    doc = (REPO / "docs" / "dedupe.md").read_text(encoding="utf-8")
    assert render(pairs) in doc, "re-run `python -m streams.dedupe_eval` and paste its tables into docs/dedupe.md"


def _links(blog: dict[str, object]) -> set[tuple[int, int]]:
    posts = blog["posts"]
    assert isinstance(posts, list)
    return {(p["index"], p["duplicate_of"]) for p in posts if p["duplicate_of"] is not None}


@pytest.mark.parametrize("gold_path", sorted(DEVSET.glob("*.gold.json")), ids=lambda p: p.name)
def test_extract_links_exactly_the_gold_duplicates(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    pred = extract_liveblog((DEVSET / gold["text_file"]).read_text(encoding="utf-8"))
    assert _links(pred) == _links(gold)


def test_extract_finds_no_duplicate_in_the_seed() -> None:
    assert _links(extract_liveblog(SEED.read_text(encoding="utf-8"))) == set()
