"""`livewire topics create` (the containers' one-shot initialiser) on a real broker: partitions and configs."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient

from streams.app import app
from streams.topicplan import RETENTION_MS
from streams.topics import POSTS_RAW, PUBLIC_TOPICS

pytestmark = [pytest.mark.integration]


def _topics_create(env: dict[str, str]) -> list[list[str]]:
    result = subprocess.run(
        [sys.executable, "-m", "streams", "topics", "create"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [line.split("\t") for line in result.stdout.splitlines()]


def test_topics_create_makes_retained_topics_and_compacted_changelogs_once(kafka_bootstrap):
    run_id = uuid.uuid4().hex[:8]
    prefix = f"c{run_id}."
    env = {
        "LIVEWIRE_BROKER": kafka_bootstrap,
        "LIVEWIRE_APP_ID": f"livewire-topics-{run_id}",
        "LIVEWIRE_TOPIC_PREFIX": prefix,
        "LIVEWIRE_PARTITIONS": "3",
    }
    first = _topics_create(env)
    names = [row[1] for row in first]
    assert {row[0] for row in first} == {"created"}
    assert {prefix + name for name in PUBLIC_TOPICS} <= set(names)
    changelogs = [name for name in names if name.endswith("-changelog")]
    assert len(changelogs) == len(app.tables), names

    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap.split(","))
    try:
        described = {t["name"]: t for t in admin.describe_topics(names)}
        assert {name: len(described[name]["partitions"]) for name in names} == dict.fromkeys(names, 3)
        resources = [ConfigResource(ConfigResourceType.TOPIC, name) for name in (prefix + POSTS_RAW, *changelogs)]
        configs = admin.describe_configs(resources)["topic"]
    finally:
        admin.close()
    assert configs[prefix + POSTS_RAW]["retention.ms"]["value"] == str(RETENTION_MS[POSTS_RAW])
    assert configs[prefix + POSTS_RAW]["cleanup.policy"]["value"] == "delete"
    for changelog in changelogs:
        assert configs[changelog]["cleanup.policy"]["value"] == "compact"

    again = _topics_create(env)
    assert [row[1] for row in again] == names
    assert {row[0] for row in again} == {"exists"}
