"""Enrich a post: categories, entities, quantities and the claims they make."""

from __future__ import annotations

from streams.models import EnrichedPost, Post, Story
from streams.stages.claims import extract_claims
from streams.stages.classify import classify
from streams.stages.entities import extract_entities
from streams.stages.quantities import extract_quantities
from streams.stages.story import observe_story

__all__ = ["enrich", "enrich_with_story", "post_text"]


def post_text(post: Post) -> str:
    """The text every extractor reads: headline, a blank line, body (offsets refer to it)."""
    return f"{post.title}\n\n{post.body}"


def enrich(post: Post, *, fingerprint: str, story: Story | None = None) -> EnrichedPost:
    """Return ``post`` with its categories, entities, quantities and claims.

    Pure and deterministic (the place gazetteer loads once per process on the
    first call). Never returns None: a post with nothing to extract is still
    enriched, with ``other`` as its category and empty lists. ``story`` is the
    post's feed as read so far (``stages.story``); the post's own places are
    added to it before its claims are placed.
    """
    return enrich_with_story(post, fingerprint=fingerprint, story=story)[0]


def enrich_with_story(post: Post, *, fingerprint: str, story: Story | None = None) -> tuple[EnrichedPost, Story]:
    """:func:`enrich`, and the feed's story as of ``post`` (``observe_story``), which the worker stores.

    The claims are placed by that story, so it is computed once for both.
    """
    text = post_text(post)
    entities = extract_entities(text, known_places=story.local_places if story else ())
    quantities = extract_quantities(text)
    next_story = observe_story(story, post, entities)
    story_place = next_story.main_place
    enriched = EnrichedPost(
        post=post,
        fingerprint=fingerprint,
        categories=classify(
            post.title, post.body, counted=frozenset(q.kind for q in quantities), feed_title=post.feed_title
        ),
        entities=entities,
        quantities=quantities,
        claims=extract_claims(
            post.title, post.body, entities, quantities, story_place=story_place, feed_title=post.feed_title
        ),
        story_place=story_place.name if story_place else None,
    )
    return enriched, next_story
