"""Shared test setup: the real-Kafka fixtures and builders of test records."""

from __future__ import annotations

from typing import Any

from streams.models import Post

pytest_plugins = ["tests.kafka_fixture"]


def make_post(**overrides: Any) -> Post:
    """A valid post; override any field."""
    fields: dict[str, Any] = {
        "source": "test-wire",
        "feed_id": "feed-1",
        "post_id": "post-1",
        "title": "Officials report 12 killed in border shelling",
        "body": "The regional governor said 12 people were killed and 30 injured.",
    }
    fields.update(overrides)
    return Post(**fields)
