"""Measure the near-copy threshold on labelled post pairs: ``python -m streams.dedupe_eval``.

Pairs come from two places: the dev set (a gold ``duplicate_of`` link is a
copy; every other pair of posts in one blog is the same story but a
different update) and ``tests/data/dedupe/pairs.json`` (cross-feed copies
and same-template updates written for this). Held-out blogs and the
file's ``check`` pairs form the check split, never used to pick the
threshold. Prints the Markdown tables kept in docs/dedupe.md.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from streams.ingest.liveblog import ParsedPost, parse_liveblog
from streams.models import Post
from streams.stages.dedupe import NEAR_COPY_THRESHOLD, Sketch, resemblance, sketch

REPO_ROOT = Path(__file__).resolve().parent.parent
DEVSET = REPO_ROOT / "tests" / "data" / "devset"
PAIRS = REPO_ROOT / "tests" / "data" / "dedupe" / "pairs.json"
HELD_OUT = frozenset({"election-liveblog", "frontline-liveblog"})
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)

Split = Literal["tune", "check"]
Scorer = Callable[[Sketch, Sketch], float]


@dataclass(frozen=True)
class LabelledPair:
    """Two posts and whether a careful editor would call them the same update."""

    split: Split
    copy: bool
    why: str
    a: Post
    b: Post


@dataclass(frozen=True)
class Row:
    """Confusion counts of one scorer at one threshold."""

    threshold: float
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        """Share of pairs called copies that are copies (1.0 when none is called)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of copies called copies."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _post(name: str, title: str, body: str) -> Post:
    return Post(source="dedupe-pairs", feed_id=name, post_id=name, title=title or "(untitled)", body=body)


def _devset_pairs(devset: Path, held_out: frozenset[str]) -> tuple[list[LabelledPair], dict[str, list[ParsedPost]]]:
    pairs: list[LabelledPair] = []
    blogs: dict[str, list[ParsedPost]] = {}
    for gold_path in sorted(devset.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        name = gold_path.name.removesuffix(".gold.json")
        posts = parse_liveblog((devset / gold["text_file"]).read_text(encoding="utf-8")).posts
        blogs[name] = posts
        links = {frozenset((p["index"], p["duplicate_of"])) for p in gold["posts"] if p.get("duplicate_of") is not None}
        split: Split = "check" if name in held_out else "tune"
        for x, y in itertools.combinations(posts, 2):
            pairs.append(
                LabelledPair(
                    split=split,
                    copy=frozenset((x.index, y.index)) in links,
                    why=f"{name} posts {x.index} and {y.index}",
                    a=_post(f"{name}-{x.index}", x.headline, x.body),
                    b=_post(f"{name}-{y.index}", y.headline, y.body),
                )
            )
    return pairs, blogs


def _written(side: dict[str, Any], blogs: dict[str, list[ParsedPost]], name: str) -> Post:
    if "blog" in side:
        parsed = next(p for p in blogs[side["blog"]] if p.headline == side["headline"])
        return _post(name, parsed.headline, parsed.body)
    return _post(name, str(side["title"]), str(side["body"]))


def labelled_pairs(
    devset: Path = DEVSET, pairs_file: Path = PAIRS, held_out: frozenset[str] = HELD_OUT
) -> list[LabelledPair]:
    """Every labelled pair: the dev set's, then the written ones."""
    pairs, blogs = _devset_pairs(devset, held_out)
    for i, item in enumerate(json.loads(pairs_file.read_text(encoding="utf-8"))["pairs"]):
        pairs.append(
            LabelledPair(
                split=item["split"],
                copy=item["label"] == "copy",
                why=item["why"],
                a=_written(item["a"], blogs, f"pair{i}-a"),
                b=_written(item["b"], blogs, f"pair{i}-b"),
            )
        )
    return pairs


def words_only(a: Sketch, b: Sketch) -> float:
    """Ablation: word resemblance without the figures and names gates."""
    return resemblance(replace(a, names=frozenset(), figures=0), replace(b, names=frozenset(), figures=0))


def words_and_figures(a: Sketch, b: Sketch) -> float:
    """Ablation: word resemblance with the figures gate only."""
    return resemblance(replace(a, names=frozenset()), replace(b, names=frozenset()))


SCORERS: dict[str, Scorer] = {
    "words + figures + names (used)": resemblance,
    "words + figures": words_and_figures,
    "words only": words_only,
}


def scores(pairs: Iterable[LabelledPair], scorer: Scorer) -> list[tuple[LabelledPair, float]]:
    """Each pair with its score."""
    return [(p, scorer(sketch(p.a), sketch(p.b))) for p in pairs]


def sweep(scored: list[tuple[LabelledPair, float]], thresholds: Iterable[float] = THRESHOLDS) -> list[Row]:
    """Confusion counts per threshold (a pair is called a copy when its score reaches the threshold)."""
    rows = []
    for t in thresholds:
        tp = sum(1 for p, s in scored if p.copy and s >= t)
        fp = sum(1 for p, s in scored if not p.copy and s >= t)
        fn = sum(1 for p, s in scored if p.copy and s < t)
        tn = sum(1 for p, s in scored if not p.copy and s < t)
        rows.append(Row(t, tp, fp, fn, tn))
    return rows


def render(pairs: list[LabelledPair]) -> str:
    """The tables of docs/dedupe.md: precision/recall per threshold, per scorer and split."""
    out: list[str] = []
    for split in ("tune", "check"):
        chosen = [p for p in pairs if p.split == split]
        copies = sum(p.copy for p in chosen)
        out.append(f"### {split} split: {len(chosen)} pairs, {copies} copies\n")
        head = "| threshold | " + " | ".join(f"{name} P / R" for name in SCORERS) + " |"
        out += [head, "|---|" + "---|" * len(SCORERS)]
        sweeps = [sweep(scores(chosen, scorer)) for scorer in SCORERS.values()]
        for i, t in enumerate(THRESHOLDS):
            mark = " (chosen)" if t == NEAR_COPY_THRESHOLD else ""
            cells = [
                f"{rows[i].precision:.2f} / {rows[i].recall:.2f} ({rows[i].fp} fp, {rows[i].fn} fn)" for rows in sweeps
            ]
            out.append(f"| {t:.1f}{mark} | " + " | ".join(cells) + " |")
        out.append("")
    out += _closest_calls(pairs)
    return "\n".join(out)


def _closest_calls(pairs: list[LabelledPair], n: int = 6) -> list[str]:
    """The copies scored lowest and the different updates whose words alone look most alike."""
    rows = [(p, resemblance(sketch(p.a), sketch(p.b)), words_only(sketch(p.a), sketch(p.b))) for p in pairs]
    copies = sorted((r for r in rows if r[0].copy), key=lambda r: r[1])[:n]
    different = sorted((r for r in rows if not r[0].copy), key=lambda r: -r[2])[:n]
    # What bounds the threshold from below: different updates with the same figures and no conflicting names.
    different += sorted((r for r in rows if not r[0].copy and r[1] > 0), key=lambda r: -r[1])[:3]
    out = [
        "### Closest calls\n",
        "| pair | split | label | score used | words only |",
        "|---|---|---|---|---|",
    ]
    for p, used, words in [*copies, *different]:
        label = "copy" if p.copy else "different"
        out.append(f"| {p.a.title} / {p.b.title} ({p.why}) | {p.split} | {label} | {used:.2f} | {words:.2f} |")
    out.append("")
    return out


def main() -> None:
    """Print the tables for docs/dedupe.md."""
    sys.stdout.write(render(labelled_pairs()) + "\n")


if __name__ == "__main__":
    main()
