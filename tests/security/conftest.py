"""The secured broker of the security tests: SASL/SCRAM-SHA-512 over TLS, ACLs enforced."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from streams import localkafka
from tests.kafka_fixture import broker_unavailable
from tests.security.secure_broker import SecureBroker, start_secure_broker

WORKER_USER = "livewire-worker"
"""Gets ACLs on its test's topic and group prefix."""
NO_ACL_USER = "mallory"
"""Authenticates fine, but has no ACL at all."""


def _start(state_dir) -> SecureBroker:
    try:
        return start_secure_broker(state_dir, [WORKER_USER, NO_ACL_USER])
    except localkafka.LocalKafkaError as exc:
        error = exc
    broker_unavailable(error)


@pytest.fixture(scope="package")
def secure_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecureBroker]:
    """One secured broker for the package, stopped by its pid at the end (also when a test failed)."""
    state_dir = tmp_path_factory.mktemp("secure-kafka")
    try:
        yield _start(state_dir)
    finally:
        localkafka.stop(state_dir)
