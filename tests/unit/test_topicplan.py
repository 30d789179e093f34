"""The topic plan: retention for the public topics, compaction for changelogs, durability by replication."""

from __future__ import annotations

import pytest

from streams.settings import Settings
from streams.topicplan import RETENTION_MS, topic_plan
from streams.topics import POSTS_RAW, PUBLIC_TOPICS


def test_every_public_topic_has_a_retention():
    assert set(PUBLIC_TOPICS) <= set(RETENTION_MS)


def test_plan_prefixes_public_topics_and_compacts_changelogs():
    settings = Settings(topic_prefix="x.", partitions=6)
    plan = {spec.name: spec for spec in topic_plan(settings, public=[POSTS_RAW], changelogs=["app-t-changelog"])}
    assert plan["x.posts.raw"].configs["retention.ms"] == str(RETENTION_MS[POSTS_RAW])
    assert plan["x.posts.raw"].configs["cleanup.policy"] == "delete"
    assert plan["app-t-changelog"].configs["cleanup.policy"] == "compact"
    assert "retention.ms" not in plan["app-t-changelog"].configs
    assert {spec.partitions for spec in plan.values()} == {6}


@pytest.mark.parametrize(("replication", "min_isr"), [(1, "1"), (2, "1"), (3, "2")])
def test_plan_asks_two_in_sync_copies_once_there_are_three(replication, min_isr):
    settings = Settings(replication_factor=replication)
    (spec,) = topic_plan(settings, public=[POSTS_RAW], changelogs=[])
    assert spec.replication_factor == replication
    assert spec.configs["min.insync.replicas"] == min_isr


def test_plan_refuses_a_topic_without_a_chosen_retention():
    with pytest.raises(ValueError, match="no retention"):
        topic_plan(Settings(), public=["posts.new"], changelogs=[])
