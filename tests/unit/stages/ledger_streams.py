"""Real claim streams for ledger regression checks: the dev-set blogs and the bench workload, enriched.

Every post goes through the enrich stage with its feed's story, as the worker
does it, and each of its claims becomes a :class:`ClaimEvent` in the order the
posts come. Dedupe is left out on purpose: a re-delivered post then brings its
claims again, so the ledger's idempotency is exercised too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from streams.bench.workload import DEVSET, generate
from streams.ingest.posts import posts_from_text
from streams.models import ClaimEvent, Post, PostRef, Story
from streams.stages.enrich import enrich_with_story


def claim_events(posts: Iterable[Post]) -> Iterator[ClaimEvent]:
    """The claim events of ``posts``, each post enriched with its feed's story so far."""
    stories: dict[str, Story] = {}
    for post in posts:
        enriched, stories[post.feed_id] = enrich_with_story(post, fingerprint="-", story=stories.get(post.feed_id))
        ref = PostRef.of(post)
        labels = [category.label for category in enriched.categories]
        for claim in enriched.claims:
            yield ClaimEvent(key=claim.key, claim=claim, post=ref, categories=labels)


def devset_posts(devset: Path = DEVSET) -> Iterator[Post]:
    """Every dev-set blog's posts, oldest first, one feed per blog (no publication times: ``seq`` orders them)."""
    for text_file in sorted(devset.glob("*.txt")):
        posts, _ = posts_from_text(text_file.read_text(encoding="utf-8"), source="devset", feed_id=text_file.stem)
        yield from posts


def bench_posts(count: int, *, seed: int = 7) -> Iterator[Post]:
    """``count`` posts of the bench workload, re-deliveries, copies and edits included."""
    start = datetime(2024, 8, 12, tzinfo=UTC)
    for bench_post in generate(count, seed=seed, start=start):
        yield Post.model_validate(bench_post.fields)
