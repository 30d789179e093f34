"""Shared test setup: the real-Kafka fixtures and builders of test records."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

import pytest

from streams.models import Post

pytest_plugins = ["tests.kafka_fixture"]


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config: pytest.Config) -> None:
    """A SIGTERM (a CI timeout, ``kill``) ends the run like Ctrl-C does.

    pytest then still tears its fixtures down, so the brokers, workers and
    browsers the tests started are stopped; the default SIGTERM action would
    leave them running.
    """
    signal.signal(signal.SIGTERM, _interrupt)


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
