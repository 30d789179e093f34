"""Offline extraction of a whole live blog into the scored JSON shape (eval/FORMAT.md)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from streams.ingest.liveblog import chronological, parse_liveblog, post_id_for
from streams.models import (
    MAX_BODY_CHARS,
    MAX_TITLE_CHARS,
    Claim,
    ClaimEvent,
    EnrichedPost,
    Entity,
    LedgerState,
    Post,
    PostRef,
    Story,
)
from streams.stages.dedupe import Verdict, judge, post_ref
from streams.stages.enrich import enrich
from streams.stages.ledger import apply_claim
from streams.stages.story import observe_story

__all__ = ["extract_liveblog"]

_SOURCE = "offline"


def extract_liveblog(text: str, *, newest_first: bool = True, feed_id: str = "offline") -> dict[str, Any]:
    """Run the enrich stage over every post of a copied live blog and replay its claims.

    Pure apart from the gazetteer load. Posts keep their file order and
    ``index``; alerts come from replaying the claims oldest post first, with
    ``after_post`` the file index of the post that raised each one.
    """
    blog = parse_liveblog(text, newest_first=newest_first)
    order = chronological(blog, newest_first=newest_first)
    seq_of = {parsed.index: seq for seq, parsed in enumerate(order)}
    enriched: dict[int, EnrichedPost] = {}
    story: Story | None = None
    dedupe = _BlogDedupe()
    # Chronological, as the worker sees a feed: each post is placed by the story so far.
    for parsed in order:
        post = Post(
            source=_SOURCE,
            feed_id=feed_id,
            post_id=post_id_for(feed_id, parsed),
            seq=seq_of[parsed.index],
            # a copied page can run lines together past what a post allows: keep the start, as a feed would
            title=(parsed.headline or "(untitled)")[:MAX_TITLE_CHARS],
            # a page with no line the parser reads as a headline is one post: score what fits
            body=parsed.body[:MAX_BODY_CHARS],
            feed_title=blog.title[:MAX_TITLE_CHARS] if blog.title else None,
        )
        verdict = dedupe.judge(parsed.index, post)
        # A duplicate is still read (its facts are scored), but like the worker it
        # neither moves the story nor reaches the ledger.
        enriched[parsed.index] = enrich(post, fingerprint=verdict.fingerprint, story=story)
        if verdict.passes:
            story = observe_story(story, post, enriched[parsed.index].entities)
    posts = [
        _post_json(parsed.index, parsed.headline, enriched[parsed.index], dedupe.links.get(parsed.index))
        for parsed in blog.posts
    ]
    alerts = _alerts_for_replay(
        [(parsed.index, enriched[parsed.index]) for parsed in order if parsed.index not in dedupe.duplicates]
    )
    return {
        "title": blog.title,
        "order": "newest-first" if newest_first else "oldest-first",
        "posts": posts,
        "alerts": alerts,
    }


# A copied blog carries no times: the whole blog is read as one dedupe window.
_BLOG_TIME = datetime(2000, 1, 1, tzinfo=UTC)
_WHOLE_BLOG = timedelta(days=1)


@dataclass
class _BlogDedupe:
    """The worker's dedupe stage over one blog, fed oldest post first, on an in-memory table."""

    table: dict[str, object] = field(default_factory=dict)
    index_of: dict[str, int] = field(default_factory=dict)
    links: dict[int, int] = field(default_factory=dict)
    """FORMAT.md's direction: the later-in-file post of a pair points at the earlier-in-file one."""
    duplicates: set[int] = field(default_factory=set)

    def judge(self, index: int, post: Post) -> Verdict:
        verdict = judge(post, lookup=self.table.get, now=_BLOG_TIME, window=_WHOLE_BLOG)
        self.table.update((key, seen.to_json()) for key, seen in verdict.writes.items())
        self.index_of.setdefault(post_ref(post), index)
        original = self.index_of.get(verdict.duplicate_of or "")
        if not verdict.passes:
            self.duplicates.add(index)
            if original is not None and original != index:
                self.links[max(index, original)] = min(index, original)
        return verdict


def _post_json(index: int, headline: str, post: EnrichedPost, duplicate_of: int | None) -> dict[str, Any]:
    return {
        "index": index,
        "headline": headline,
        "categories": [c.label for c in post.categories],
        "entities": [{"text": name, "type": e.type} for e in post.entities if e.type != "NORP" for name in _names(e)],
        "quantities": [
            {"text": q.text, "kind": q.kind, "value": _number(q.value), "qualifier": q.qualifier}
            for q in post.quantities
        ],
        "claims": [
            {
                "metric": c.metric,
                "value": _number(c.value),
                "qualifier": c.qualifier,
                "actor": c.actor,
                "place": c.place,
                "source": c.source,
            }
            for c in post.claims
        ],
        "duplicate_of": duplicate_of,
    }


def _norm_words(name: str) -> frozenset[str]:
    name = unicodedata.normalize("NFKC", name).casefold().replace("’", "'")
    name = re.sub(r"'s\b", "", name)
    return frozenset(re.sub(r"[^\w\s-]", " ", name).split())


def _names(entity: Entity) -> list[str]:
    """Each distinct name the post gives the entity; "Sumy" beside "Sumy region" is not distinct."""
    out: list[str] = []
    seen: list[frozenset[str]] = []
    for name in (entity.text, *entity.aliases):
        words = _norm_words(name)
        if not words or any(words <= other or other <= words for other in seen):
            continue
        seen.append(words)
        out.append(name)
    return out


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


# ---------------------------------------------------------------------------
# Minimal replay of FORMAT.md's alert rules, until the ledger stage takes over.


def _alerts_for_replay(posts: list[tuple[int, EnrichedPost]]) -> list[dict[str, Any]]:
    """Replay claims oldest first through the same ledger stage the worker runs."""
    ledger: dict[str, LedgerState] = {}
    alerts: list[dict[str, Any]] = []
    for index, enriched in posts:
        post = enriched.post
        ref = PostRef.of(post)
        labels = [category.label for category in enriched.categories]
        for claim in enriched.claims:
            event = ClaimEvent(key=claim.key, claim=claim, post=ref, categories=labels)
            ledger[claim.key], raised = apply_claim(ledger.get(claim.key, LedgerState()), event)
            alerts.extend(_alert(index, alert.type.value, alert.claim) for alert in raised)
    return alerts


def _alert(index: int, kind: str, claim: Claim) -> dict[str, Any]:
    return {
        "after_post": index,
        "type": kind,
        "metric": claim.metric,
        "value": _number(claim.value),
        "place": claim.place,
    }
