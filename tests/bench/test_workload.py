"""The bench workload: ≈1 KB posts from the dev set, with varied names and figures, and real duplicates."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime

from streams.bench.pipeline import percentile
from streams.bench.workload import generate, load_blogs
from streams.models import Post
from streams.stages.validate import validate

START = datetime(2026, 1, 1, tzinfo=UTC)


def test_posts_are_about_a_kilobyte_valid_and_varied():
    posts = list(generate(600, start=START, step=0.1))
    sizes = [len(p.encode()) for p in posts]
    assert 800 <= sum(sizes) / len(sizes) <= 1400
    for post in posts:
        assert isinstance(validate(post.encode(), max_bytes=256 * 1024, now=START.replace(year=2027)), Post)
    kinds = Counter(p.kind for p in posts)
    assert kinds["new"] > 500 and kinds["redelivery"] and kinds["copy"] and kinds["edit"]
    new = [p for p in posts if p.kind == "new"]
    assert len({p.fields["body"] for p in new}) == len(new)


def test_people_and_figures_are_swapped():
    blogs = load_blogs()
    people = {name for blog in blogs for name in blog.people}
    assert people
    text = " ".join(p.fields["title"] + " " + p.fields["body"] for p in generate(300, start=START))
    # The dev set's own people are replaced by invented ones.
    assert not any(name in text for name in people)


def test_same_seed_same_posts():
    first = [p.encode() for p in generate(50, start=START, seed=3)]
    assert first == [p.encode() for p in generate(50, start=START, seed=3)]
    assert first != [p.encode() for p in generate(50, start=START, seed=4)]


def test_percentile_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([7.0], 0.99) == 7.0


def test_the_same_arguments_give_the_same_posts_in_every_process():
    # String hashing differs per process; the bench driver and its enrich child must still agree.
    code = (
        "import hashlib, sys; from datetime import UTC, datetime; from streams.bench.workload import generate; "
        "posts = generate(200, start=datetime(2026, 1, 1, tzinfo=UTC)); "
        "sys.stdout.write(hashlib.sha256(b''.join(p.encode() for p in posts)).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, check=True
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1
