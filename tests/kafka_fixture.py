"""Pytest plugin: one real Kafka broker for the test session, plus unique topic and group names.

Enable it with ``pytest_plugins = ["tests.kafka_fixture"]``. ``LIVEWIRE_TEST_BROKER=host:port`` uses an
existing broker instead of starting one. A broker that cannot start skips the tests, except under
``CI=true`` or ``LIVEWIRE_REQUIRE_KAFKA=1``, where it fails them: a skipped check cannot fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from streams.localkafka import BrokerInfo, LocalKafkaError, start, stop, wait_for_metadata

_EXTERNAL_BROKER_TIMEOUT_S = 30.0


def kafka_required() -> bool:
    """Tell whether a missing broker must fail the run instead of skipping it."""
    return os.environ.get("CI", "").lower() in {"true", "1"} or os.environ.get("LIVEWIRE_REQUIRE_KAFKA") == "1"


def broker_unavailable(exc: LocalKafkaError) -> NoReturn:
    """Fail (in CI) or skip (on a laptop) because no broker is available."""
    reason = f"no Kafka broker for integration tests: {exc}"
    if kafka_required():
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def start_fresh_broker(state_dir: Path) -> BrokerInfo:
    """Start a broker with empty storage in ``state_dir`` on free ports, or skip/fail the test."""
    try:
        return start(state_dir, fresh=True)
    except LocalKafkaError as exc:
        error = exc
    # Outside the except block, so the report shows the reason once instead of a chained traceback.
    broker_unavailable(error)


def reachable_external_broker(bootstrap: str) -> str:
    """Return ``bootstrap`` once it serves metadata, or skip/fail the test."""
    try:
        wait_for_metadata(bootstrap, timeout=_EXTERNAL_BROKER_TIMEOUT_S)
    except LocalKafkaError as exc:
        error = exc
    else:
        return bootstrap
    broker_unavailable(error)


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Bootstrap address of the session's broker, started on first use and stopped at the end."""
    external = os.environ.get("LIVEWIRE_TEST_BROKER")
    if external:
        yield reachable_external_broker(external)
        return
    state_dir = tmp_path_factory.mktemp("kafka")
    try:
        yield start_fresh_broker(state_dir).bootstrap
    finally:
        # Also runs when start failed half-way or a test blew up; stop() is a no-op without a broker.
        stop(state_dir)


@pytest.fixture
def unique_topic() -> Callable[..., str]:
    """Factory of topic names no other test uses: ``unique_topic()`` -> ``"test.1f2e3d4c"``."""

    def make(prefix: str = "test") -> str:
        return f"{prefix}.{uuid.uuid4().hex[:8]}"

    return make


@pytest.fixture
def unique_group() -> Callable[..., str]:
    """Factory of consumer group ids no other test uses: ``unique_group()`` -> ``"test-group.1f2e3d4c"``."""

    def make(prefix: str = "test-group") -> str:
        return f"{prefix}.{uuid.uuid4().hex[:8]}"

    return make
