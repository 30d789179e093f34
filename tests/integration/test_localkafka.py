"""The local Kafka launcher against a real broker: start, reuse, status, stop, restart, clear errors."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic

from streams import localkafka
from streams.localkafka import BrokerInfo, LocalKafkaError
from tests.kafka_fixture import start_fresh_broker

pytestmark = pytest.mark.integration

CLIENT_TIMEOUT_S = 30.0


def round_trip(bootstrap: str, topic: str, group: str) -> tuple[bytes, bytes]:
    producer = KafkaProducer(bootstrap_servers=bootstrap)
    try:
        producer.send(topic, key=b"key-1", value=b"value-1").get(timeout=CLIENT_TIMEOUT_S)
    finally:
        producer.close()
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        consumer_timeout_ms=int(CLIENT_TIMEOUT_S * 1000),
    )
    try:
        record = next(iter(consumer), None)
    finally:
        consumer.close()
    assert record is not None, f"nothing consumed from {topic} within {CLIENT_TIMEOUT_S} s"
    return record.key, record.value


def process_gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def own_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrokerInfo]:
    state_dir = tmp_path_factory.mktemp("own-kafka")
    try:
        yield start_fresh_broker(state_dir)
    finally:
        localkafka.stop(state_dir)


def test_start_returns_when_metadata_is_fetchable(own_broker: BrokerInfo) -> None:
    # A short bootstrap timeout: start() promised the broker is ready, so no client-side waiting is allowed.
    admin = KafkaAdminClient(bootstrap_servers=own_broker.bootstrap, bootstrap_timeout_ms=2000)
    try:
        brokers = admin.describe_cluster()["brokers"]
    finally:
        admin.close()
    assert [broker["port"] for broker in brokers] == [own_broker.port]
    assert round_trip(own_broker.bootstrap, "test.ready", "test-group.ready") == (b"key-1", b"value-1")


def test_start_reuses_running_broker(own_broker: BrokerInfo) -> None:
    again = localkafka.start(own_broker.state_dir)

    assert again.reused is True
    assert (again.pid, again.bootstrap) == (own_broker.pid, own_broker.bootstrap)


def test_status_reports_running_broker(own_broker: BrokerInfo) -> None:
    info = localkafka.status(own_broker.state_dir)

    assert info is not None
    assert (info.pid, info.port, info.controller_port) == (own_broker.pid, own_broker.port, own_broker.controller_port)


def test_stop_ends_process_and_clears_status(tmp_path: Path) -> None:
    info = start_fresh_broker(tmp_path)

    assert localkafka.stop(tmp_path) is True

    assert process_gone(info.pid)
    assert localkafka.status(tmp_path) is None
    assert localkafka.stop(tmp_path) is False
    assert not localkafka.broker_reachable(info.bootstrap, timeout=1.0)


def test_restart_keeps_topics(tmp_path: Path) -> None:
    first = start_fresh_broker(tmp_path)
    try:
        admin = KafkaAdminClient(bootstrap_servers=first.bootstrap)
        try:
            admin.create_topics([NewTopic("test.kept", num_partitions=1, replication_factor=1)])
        finally:
            admin.close()
    finally:
        localkafka.stop(tmp_path)

    second = localkafka.start(tmp_path)
    try:
        admin = KafkaAdminClient(bootstrap_servers=second.bootstrap)
        try:
            topics = admin.list_topics()
        finally:
            admin.close()
    finally:
        localkafka.stop(tmp_path)

    assert second.reused is False
    assert second.pid != first.pid
    assert "test.kept" in topics


def test_start_without_java_raises_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    monkeypatch.delenv("JAVA_HOME", raising=False)

    with pytest.raises(LocalKafkaError, match="Java") as error:
        localkafka.start(tmp_path / "state")

    assert "docker compose up" in str(error.value)
    assert "LIVEWIRE_BROKER" in str(error.value)


def test_ensure_jars_without_maven_raises_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A stand-in java that is never run: the lookup only needs an executable named java.
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "java").write_text("#!/bin/sh\nexit 1\n")
    (fake_bin / "java").chmod(0o755)
    monkeypatch.setenv("PATH", str(fake_bin))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("LIVEWIRE_KAFKA_CACHE", str(tmp_path / "empty-cache"))

    with pytest.raises(LocalKafkaError, match="Maven") as error:
        localkafka.ensure_jars(tmp_path / "state")

    assert "docker compose up" in str(error.value)


def test_session_broker_round_trip(
    kafka_bootstrap: str, unique_topic: Callable[..., str], unique_group: Callable[..., str]
) -> None:
    assert round_trip(kafka_bootstrap, unique_topic(), unique_group()) == (b"key-1", b"value-1")
