"""What a running worker reports about itself: consumer lag, partitions owned, table sizes, readiness.

Everything here reads state the worker already holds (faust's consumer and
tables) or makes one cheap broker round trip (end offsets), so it can run
every few seconds and on every readiness probe.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import logging
from collections import Counter
from dataclasses import asdict, dataclass
from time import monotonic
from typing import Any

from faust.sensors import Sensor

from streams import __version__
from streams.metrics import StreamsMetrics, TopicPartition, consumer_lag
from streams.security import PLAINTEXT, KafkaSecurity

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_S = 5.0


def broker_version(bootstrap: str, *, security: KafkaSecurity = PLAINTEXT, timeout: float = BROKER_TIMEOUT_S) -> str:
    """The Kafka version the broker reports through its API versions (e.g. ``4.1``), or ``unknown``.

    Blocking (one connection); run it in a thread from async code.
    """
    from kafka import KafkaConsumer
    from kafka.errors import KafkaError

    try:
        consumer = KafkaConsumer(
            bootstrap_servers=bootstrap.split(","),
            group_id=None,
            client_id="livewire-version",
            request_timeout_ms=int(timeout * 1000),
            **security.kafka_python(),
        )
    except KafkaError as exc:
        logger.warning("could not ask the broker for its version: %s", exc)
        return "unknown"
    try:
        # kafka-python infers the broker's version from its ApiVersions answer on connect.
        version = consumer.config.get("api_version")
    finally:
        consumer.close()
    return ".".join(str(part) for part in version) if version else "unknown"


def worker_labels(*, kafka_version: str) -> dict[str, str]:
    """The labels of ``streams_worker_info``: a handful of version strings."""
    return {
        "version": __version__,
        "faust_version": importlib.metadata.version("faust-streaming"),
        "aiokafka_version": importlib.metadata.version("aiokafka"),
        "kafka_version": kafka_version,
    }


class PipelineSensor(Sensor):
    """faust's hooks that add what our own counters cannot see: rebalances, commits, produce errors.

    faust's PrometheusMonitor is not used: most of its series (messages in per
    topic, events per stream, table operations) repeat ``streams_messages_total``
    under other names, and it mounts its own /metrics view.
    """

    def __init__(self, metrics: StreamsMetrics, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metrics = metrics

    def on_rebalance_start(self, app: Any) -> dict[str, float]:
        """Count the rebalance and remember when it started."""
        self.metrics.rebalances.inc()
        return {"time_start": monotonic()}

    def on_rebalance_end(self, app: Any, state: dict[str, float]) -> None:
        """Observe how long the worker was not processing."""
        if "time_start" in state:
            self.metrics.rebalance_seconds.observe(monotonic() - state["time_start"])

    def on_commit_initiated(self, consumer: Any) -> float:
        """Start timing an offset commit."""
        return monotonic()

    def on_commit_completed(self, consumer: Any, state: Any) -> None:
        """Observe the commit's duration."""
        if isinstance(state, float):
            self.metrics.commit_seconds.observe(monotonic() - state)

    def on_send_error(self, producer: Any, exc: BaseException, state: Any) -> None:
        """Count a failed produce."""
        self.metrics.send_errors.inc()


@dataclass(frozen=True)
class Readiness:
    """What /readyz reports; ready only when every part is."""

    assigned: int
    recovered: bool
    broker_reachable: bool

    @property
    def ready(self) -> bool:
        """Partitions assigned, table recovery finished and the broker answering."""
        return self.assigned > 0 and self.recovered and self.broker_reachable

    def as_dict(self) -> dict[str, Any]:
        """The JSON body of /readyz."""
        return {"ready": self.ready, **asdict(self), "version": __version__}


class WorkerObserver:
    """Refreshes the worker's gauges from the faust app it runs in."""

    def __init__(
        self,
        app: Any,
        metrics: StreamsMetrics,
        *,
        bootstrap: str,
        topic_prefix: str,
        security: KafkaSecurity = PLAINTEXT,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.bootstrap = bootstrap
        self.security = security
        self.topic_prefix = topic_prefix
        self._kafka_version: str | None = None

    def source_topics(self) -> set[str]:
        """The topics the agents consume (not the table changelogs, whose offsets are never committed)."""
        return {name for agent in self.app.agents.values() for name in agent.channel.topics}

    def owned_partitions(self) -> list[Any]:
        """The source-topic partitions assigned to this worker."""
        sources = self.source_topics()
        return sorted(tp for tp in self.app.consumer.assignment() if tp.topic in sources)

    async def refresh(self) -> None:
        """Set lag, partitions owned, table sizes and (once) worker info; never raises.

        A broker that does not answer leaves the last values in place: metrics
        must not crash the worker, and /readyz reports the broker instead.
        """
        try:
            await self._refresh()
        except Exception as exc:  # noqa: BLE001 - observing must never stop the worker
            logger.warning("could not refresh worker metrics: %r", exc)

    async def _refresh(self) -> None:
        if self._kafka_version is None:
            self._kafka_version = await asyncio.to_thread(broker_version, self.bootstrap, security=self.security)
            self.metrics.worker.info(worker_labels(kafka_version=self._kafka_version))
        owned = self.owned_partitions()
        counts = Counter(tp.topic for tp in owned)
        self.metrics.set_assigned({topic: counts.get(topic, 0) for topic in self.source_topics()})
        for table in self.app.tables.values():
            label = table.name.removeprefix(self.topic_prefix)
            self.metrics.table_keys.labels(table=label).set(len(table))
        self.metrics.set_lag(self._lag(owned))

    def _lag(self, owned: list[Any]) -> dict[TopicPartition, int]:
        # Only state the worker already holds: the end offsets of its last fetch
        # responses and the group's committed offsets (loaded from the broker on
        # assignment, updated on each commit; faust has no public accessor). No call
        # goes through faust's consumer thread: its two method workers also run the
        # fetches, and a slow offsets request there would stall processing.
        consumer = self.app.consumer
        highwaters = {}
        for tp in owned:
            end = consumer.highwater(tp)
            if end is not None:  # not fetched from yet
                highwaters[(tp.topic, tp.partition)] = end
        committed = {(tp.topic, tp.partition): consumer._committed_offset.get(tp) for tp in owned}
        return consumer_lag(highwaters, committed)

    async def readiness(self) -> Readiness:
        """Check assignment and recovery, and make one metadata round trip on the worker's producer."""
        owned = self.owned_partitions()
        recovered = bool(self.app.tables.recovery.completed.is_set())
        reachable = False
        try:
            # The producer's client runs on the worker's own loop with the worker's
            # connection settings (TLS, SASL), so this is the path outputs take.
            client = self.app.producer._ensure_producer().client
            await asyncio.wait_for(client.fetch_all_metadata(), timeout=BROKER_TIMEOUT_S)
        except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"; the probe must answer
            logger.warning("readiness: broker metadata request failed: %r", exc)
        else:
            reachable = True
        return Readiness(assigned=len(owned), recovered=recovered, broker_reachable=reachable)


def log_task_stacks(app: Any) -> None:
    """Log what a worker that looks stuck is doing: every asyncio task's stack, and which partitions it fetches.

    Installed as the worker's SIGUSR1 handler (``kill -USR1 <pid>``); a thread
    dump (py-spy) only shows the event loop idling in ``select``. The partition
    sets are faust's private flow-control state, read defensively.
    """
    import io

    tasks = asyncio.all_tasks()
    out = io.StringIO()
    consumer = app.consumer
    for name in ("_active_partitions", "_paused_partitions", "_buffered_partitions"):
        out.write(f"consumer.{name} = {sorted(getattr(consumer, name, None) or [])!r}\n")
    for name in ("_read_offset", "_committed_offset"):
        offsets = getattr(consumer, name, None) or {}
        out.write(f"consumer.{name} = {sorted((str(tp), offset) for tp, offset in offsets.items())!r}\n")
    out.write(f"consumer.flow_active = {getattr(consumer, 'flow_active', None)!r}\n")
    for task in sorted(tasks, key=lambda t: t.get_name()):
        out.write(f"--- task {task.get_name()} {task.get_coro()!r}\n")
        task.print_stack(limit=12, file=out)
    logger.warning("SIGUSR1: %d asyncio tasks\n%s", len(tasks), out.getvalue())
