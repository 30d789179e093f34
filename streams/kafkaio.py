"""Plain Kafka clients for the command line: create topics, produce posts, read outputs.

The worker talks to Kafka through faust; commands (ingest, tail, run) use
kafka-python, which is synchronous and simple to drive from a terminal.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError

from streams.security import PLAINTEXT, KafkaSecurity

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TopicSpec:
    """One topic to create."""

    name: str
    partitions: int
    replication_factor: int
    configs: Mapping[str, str] = field(default_factory=dict)


def create_topics(
    bootstrap: str, specs: Iterable[TopicSpec], *, security: KafkaSecurity = PLAINTEXT
) -> list[tuple[TopicSpec, bool]]:
    """Create the topics that do not exist yet; return each spec with whether it was created. Idempotent.

    Existing topics are left as they are (changing partitions would move keys
    between partitions and break the tables).
    """
    specs = list(specs)
    admin = KafkaAdminClient(
        bootstrap_servers=bootstrap.split(","), client_id="livewire-topics", **security.kafka_python()
    )
    try:
        existing = set(admin.list_topics())
        missing = [spec for spec in specs if spec.name not in existing]
        created = {spec.name for spec in missing}
        if missing:
            try:
                admin.create_topics([_new_topic(spec) for spec in missing], wait_for_metadata=True)
            except TopicAlreadyExistsError:
                # Another initialiser or worker won the race for some: create the rest one by one.
                created = set()
                for spec in missing:
                    try:
                        admin.create_topics([_new_topic(spec)], wait_for_metadata=True)
                    except TopicAlreadyExistsError:
                        continue
                    created.add(spec.name)
        return [(spec, spec.name in created) for spec in specs]
    finally:
        admin.close()


def _new_topic(spec: TopicSpec) -> NewTopic:
    return NewTopic(spec.name, spec.partitions, spec.replication_factor, topic_configs=dict(spec.configs))


def ensure_topics(
    bootstrap: str,
    names: Iterable[str],
    *,
    partitions: int,
    replication_factor: int,
    security: KafkaSecurity = PLAINTEXT,
) -> list[str]:
    """Create the named topics with the broker's default configs if missing; return the names created.

    For throwaway topics (bench runs, tests); a deployment's topics come from
    ``streams.topicplan`` with their retention and compaction.
    """
    specs = [TopicSpec(name, partitions, replication_factor) for name in names]
    return [spec.name for spec, created in create_topics(bootstrap, specs, security=security) if created]


def make_producer(bootstrap: str, *, security: KafkaSecurity = PLAINTEXT) -> KafkaProducer:
    """A producer that waits for all in-sync replicas and never duplicates on retry."""
    return KafkaProducer(
        bootstrap_servers=bootstrap.split(","),
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        client_id="livewire-cli",
        **security.kafka_python(),
    )


@contextmanager
def producing(bootstrap: str, *, security: KafkaSecurity = PLAINTEXT) -> Iterator[KafkaProducer]:
    """A producer that is flushed (every send acknowledged) and closed when the block ends."""
    producer = make_producer(bootstrap, security=security)
    try:
        yield producer
        producer.flush(timeout=60)
    finally:
        producer.close(timeout=10)


@dataclass(frozen=True)
class Record:
    """One consumed record: coordinates, key, value and headers."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]


def read_topic(
    bootstrap: str,
    topic: str,
    *,
    from_beginning: bool,
    idle_timeout: float | None,
    security: KafkaSecurity = PLAINTEXT,
) -> Iterator[Record]:
    """Yield records of every partition of ``topic``, in order per partition.

    No consumer group is used, so reading never moves anyone's offsets. With
    ``idle_timeout`` the iterator ends after that many seconds without a new
    record; without it, it waits for new records until the caller stops.
    """
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap.split(","),
        group_id=None,
        enable_auto_commit=False,
        client_id="livewire-tail",
        **security.kafka_python(),
    )
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        assignment = [TopicPartition(topic, p) for p in sorted(partitions)]
        if not assignment:
            return
        consumer.assign(assignment)
        if from_beginning:
            consumer.seek_to_beginning(*assignment)
        else:
            consumer.seek_to_end(*assignment)
        timeout_ms = 200
        idle = 0.0
        while True:
            batch = consumer.poll(timeout_ms=timeout_ms)
            if not batch:
                idle += timeout_ms / 1000
                if idle_timeout is not None and idle >= idle_timeout:
                    return
                continue
            idle = 0.0
            for records in batch.values():
                for r in records:
                    yield Record(
                        topic=r.topic,
                        partition=r.partition,
                        offset=r.offset,
                        timestamp_ms=r.timestamp,
                        key=r.key,
                        value=r.value,
                        headers=list(r.headers or []),
                    )
    finally:
        consumer.close()
