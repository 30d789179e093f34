"""Every topic a deployment needs, with partitions and configs: what ``livewire topics create`` makes.

Containers run it as a one-shot initialiser before the workers start, so
topics get their retention and compaction from here instead of the broker's
defaults, and the table changelogs exist with as many partitions as the topics
that feed them (faust refuses a mismatch).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Final

from streams.kafkaio import TopicSpec, create_topics
from streams.settings import Settings
from streams.topics import ALERTS, CLAIMS_EVENTS, POSTS_DLQ, POSTS_DUPLICATES, POSTS_ENRICHED, POSTS_RAW, PUBLIC_TOPICS

logger = logging.getLogger(__name__)

DAY_MS: Final = 24 * 3600 * 1000

# Retention by registry name. posts.raw is kept a week: long enough to replay
# a weekend's input after a bad deploy, bounded so the log does not grow forever.
RETENTION_MS: Final[Mapping[str, int]] = {
    POSTS_RAW: 7 * DAY_MS,
    POSTS_ENRICHED: 7 * DAY_MS,
    POSTS_DUPLICATES: 3 * DAY_MS,
    POSTS_DLQ: 30 * DAY_MS,
    CLAIMS_EVENTS: 7 * DAY_MS,
    ALERTS: 30 * DAY_MS,
}

__all__ = ["RETENTION_MS", "TopicSpec", "create_topics", "deployment_plan", "topic_plan"]


def _durability(settings: Settings) -> dict[str, str]:
    # With RF=3, two in-sync copies must ack a write (producers use acks=all):
    # one broker can fail without losing an acknowledged record or blocking writes.
    return {"min.insync.replicas": "2" if settings.replication_factor >= 3 else "1"}


def topic_plan(settings: Settings, *, public: Iterable[str], changelogs: Iterable[str]) -> list[TopicSpec]:
    """The specs of the public topics (registry names) and table changelogs (broker names). Pure.

    Raises:
        ValueError: when a public topic has no retention here (a new topic must choose one).
    """
    specs = []
    for name in public:
        if name not in RETENTION_MS:
            msg = f"topic {name!r} has no retention in streams.topicplan.RETENTION_MS"
            raise ValueError(msg)
        configs = {"cleanup.policy": "delete", "retention.ms": str(RETENTION_MS[name]), **_durability(settings)}
        specs.append(
            TopicSpec(f"{settings.topic_prefix}{name}", settings.partitions, settings.replication_factor, configs)
        )
    for name in changelogs:
        # A changelog is the table: compacted, never deleted by age.
        configs = {"cleanup.policy": "compact", **_durability(settings)}
        specs.append(TopicSpec(name, settings.partitions, settings.replication_factor, configs))
    return specs


def deployment_plan(settings: Settings) -> list[TopicSpec]:
    """The plan for the app built from the environment: public topics and its tables' changelogs."""
    from streams.app import app

    changelogs = [table.changelog_topic.get_topic_name() for table in app.tables.values()]
    return topic_plan(settings, public=PUBLIC_TOPICS, changelogs=changelogs)
