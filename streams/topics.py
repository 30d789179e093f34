"""The single registry of topic and table names, and their faust objects.

Every topic carries bytes (``value_serializer="raw"``): agents decode at the
edge, so a poison message reaches our dead-letter topic instead of being
acked and skipped by faust's own deserialiser.
"""

from __future__ import annotations

from typing import Final

import faust

from streams.app import app, settings

POSTS_RAW: Final = "posts.raw"
POSTS_ENRICHED: Final = "posts.enriched"
POSTS_DUPLICATES: Final = "posts.duplicates"
POSTS_DLQ: Final = "posts.dlq"
CLAIMS_EVENTS: Final = "claims.events"
ALERTS: Final = "alerts"

POSTS_SEEN: Final = "posts.seen"
"""Dedupe table: fingerprints and post revisions seen recently, per feed partition."""

CLAIMS_LEDGER: Final = "claims.ledger"
"""Claim ledger table: the state of each claim key (its current figures, latest history, recent posts)."""

FEEDS_STORY: Final = "feeds.story"
"""Story table: per feed, the places it keeps naming (stages.story), so claims are filed by story place."""

PUBLIC_TOPICS: Final = (POSTS_RAW, POSTS_ENRICHED, POSTS_DUPLICATES, POSTS_DLQ, CLAIMS_EVENTS, ALERTS)


def topic_name(name: str, *, prefix: str | None = None) -> str:
    """Return the broker-side name of a registry topic (with the configured prefix)."""
    return f"{settings.topic_prefix if prefix is None else prefix}{name}"


def _bytes_topic(name: str) -> faust.TopicT:
    return app.topic(
        topic_name(name),
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=settings.partitions,
    )


posts_raw = _bytes_topic(POSTS_RAW)
posts_enriched = _bytes_topic(POSTS_ENRICHED)
posts_duplicates = _bytes_topic(POSTS_DUPLICATES)
posts_dlq = _bytes_topic(POSTS_DLQ)
claims_events = _bytes_topic(CLAIMS_EVENTS)
alerts = _bytes_topic(ALERTS)

# Tables hold JSON-able values; their changelog topics are named by faust as
# "<app_id>-<table>-changelog" and are compacted.
posts_seen = app.Table(topic_name(POSTS_SEEN), default=None, key_type=str, partitions=settings.partitions)
# Keyed by the claim key's UTF-8 bytes, exactly as claims.events is keyed: faust's router
# hashes the table's serialized key to find a key's owner, and a str key would be
# serialized as JSON (quoted), hashing to another partition than the one that holds it.
# The ledger stores each key's state as JSON bytes (tablecodecs): far less memory than dicts.
claims_ledger = app.Table(
    topic_name(CLAIMS_LEDGER), default=None, key_type=bytes, value_type=bytes, partitions=settings.partitions
)
feeds_story = app.Table(topic_name(FEEDS_STORY), default=None, key_type=str, partitions=settings.partitions)


def subscription_topic_name(subscription: str) -> str:
    """Registry name of the topic that carries a subscription's copies of alerts: ``alerts.<name>``."""
    return f"{ALERTS}.{subscription}"


_subscription_topics: dict[str, faust.TopicT] = {}


def subscription_topic(subscription: str) -> faust.TopicT:
    """The faust topic of a subscription (made on first use: subscriptions come and go at run time)."""
    topic = _subscription_topics.get(subscription)
    if topic is None:
        topic = _subscription_topics[subscription] = _bytes_topic(subscription_topic_name(subscription))
    return topic
