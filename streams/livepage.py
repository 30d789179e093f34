"""The live alerts page: ``/`` (static HTML, JS and CSS shipped in the package) and ``/alerts/stream`` (SSE).

Each worker process reads the ``alerts`` topic with one consumer of its own,
outside any consumer group: it is assigned every partition, so a page served
by any worker sees every alert, and reading never moves the pipeline's
offsets. The last :data:`RECENT_ALERTS` alerts are kept in memory, so a page
that opens (or reconnects) first gets the recent ones, then the live ones.
The consumer starts with the first page and stops with the web server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import orjson
from aiohttp import web
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth
from pydantic import ValidationError

from streams.agents import metrics
from streams.app import app, settings
from streams.models import Alert
from streams.stages.entities import extract_entities
from streams.topics import ALERTS, topic_name

logger = logging.getLogger(__name__)

STATIC_DIR: Final = Path(__file__).resolve().parent / "static"
RECENT_ALERTS: Final = 500
"""Alerts a newly opened page receives first (the most recent, across all partitions)."""
SUBSCRIBER_BACKLOG: Final = 1000
"""Alerts queued for one slow page before it is cut off (its browser reconnects and catches up)."""
HEARTBEAT_S: Final = 15.0
"""A comment line this often: proxies keep the stream open, and a gone browser is noticed."""
RETRY_S: Final = 5.0
"""Pause before the feed retries after the broker failed it."""


@lru_cache(maxsize=4096)
def place_coordinates(place: str | None) -> tuple[float, float] | None:
    """Latitude and longitude of a claim's place, resolved by the gazetteer the enrich stage uses."""
    if not place:
        return None
    for entity in extract_entities(place):
        if entity.type == "PLACE" and entity.lat is not None and entity.lon is not None:
            return entity.lat, entity.lon
    return None


def page_event(alert: Alert, *, timestamp_ms: int) -> bytes:
    """The JSON a page receives for one alert: the alert, where its place is, and when Kafka got it."""
    body: dict[str, Any] = alert.model_dump(mode="json")
    where = place_coordinates(alert.claim.place)
    body["where"] = {"lat": where[0], "lon": where[1]} if where else None
    body["received_ms"] = timestamp_ms
    return orjson.dumps(body)


def sse_message(payload: bytes, *, event_id: str) -> bytes:
    """One server-sent event of type ``alert`` (the payload is one line of JSON)."""
    return b"event: alert\nid: " + event_id.encode() + b"\ndata: " + payload + b"\n\n"


class AlertFeed:
    """The alerts topic, read by one group-less consumer per process and fanned out to every open page."""

    def __init__(self, *, bootstrap: list[str], topic: str, consumer_options: dict[str, Any]) -> None:
        self.bootstrap = bootstrap
        self.topic = topic
        self.consumer_options = consumer_options
        self.recent: OrderedDict[str, bytes] = OrderedDict()
        self.subscribers: set[asyncio.Queue[bytes | None]] = set()
        self._task: asyncio.Task[None] | None = None

    def ensure_reading(self) -> None:
        """Start the consumer unless it runs: the first page to open starts it."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="alert-feed")

    def subscribe(self) -> tuple[list[bytes], asyncio.Queue[bytes | None]]:
        """The recent alerts and a queue of the ones to come; no alert falls between the two."""
        queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=SUBSCRIBER_BACKLOG)
        self.subscribers.add(queue)
        return list(self.recent.values()), queue

    def unsubscribe(self, queue: asyncio.Queue[bytes | None]) -> None:
        """Forget a page that went away."""
        self.subscribers.discard(queue)

    def publish(self, alert_id: str, message: bytes) -> None:
        """Remember an alert and hand it to every page; a repeat of a known ``alert_id`` is dropped.

        The pipeline is at-least-once and alert ids are deterministic, so a
        re-sent alert carries the same id and is shown once.
        """
        if alert_id in self.recent:
            return
        self.recent[alert_id] = message
        while len(self.recent) > RECENT_ALERTS:
            self.recent.popitem(last=False)
        for queue in list(self.subscribers):
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:
                # A page this far behind starts over: end its stream, its browser reconnects.
                self._end(queue)

    def _end(self, queue: asyncio.Queue[bytes | None]) -> None:
        self.subscribers.discard(queue)
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait(None)

    async def close(self, _app: web.Application | None = None) -> None:
        """End every page's stream and stop the consumer (an aiohttp on_shutdown hook)."""
        for queue in list(self.subscribers):
            self._end(queue)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self._consume()
            except (KafkaError, OSError) as exc:
                logger.warning("alert feed: %r; retrying in %.0fs", exc, RETRY_S)
            await asyncio.sleep(RETRY_S)  # back-off before reconnecting, not synchronisation

    async def _consume(self) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap,
            group_id=None,
            enable_auto_commit=False,
            # Partitions added later are new: read them whole.
            auto_offset_reset="earliest",
            client_id=f"{settings.app_id}-livepage",
            **self.consumer_options,
        )
        await consumer.start()
        try:
            # Without a group, subscribing assigns every partition of the topic to this consumer.
            consumer.subscribe([self.topic])
            partitions = await self._assigned(consumer)
            ends = await consumer.end_offsets(partitions)
            begins = await consumer.beginning_offsets(partitions)
            for tp in partitions:
                consumer.seek(tp, max(begins[tp], ends[tp] - RECENT_ALERTS))
            while True:
                batch = await consumer.getmany(timeout_ms=1000)
                for records in batch.values():
                    for record in records:
                        self._take(record.value, record.timestamp)
        finally:
            await consumer.stop()

    @staticmethod
    async def _assigned(consumer: AIOKafkaConsumer) -> list[TopicPartition]:
        # aiokafka has no event for a group-less assignment, so poll it.
        while not (assigned := consumer.assignment()):  # noqa: ASYNC110
            await asyncio.sleep(0.2)  # polling for the topic's metadata to arrive
        return sorted(assigned)

    def _take(self, value: bytes | None, timestamp_ms: int) -> None:
        try:
            alert = Alert.model_validate_json(value or b"")
        except ValidationError as exc:
            # Only the pipeline writes this topic; a page must not die of one odd record.
            logger.warning("alert feed: skipped a record that is not an alert: %s", exc.errors(include_url=False)[:1])
            return
        self.publish(alert.alert_id, sse_message(page_event(alert, timestamp_ms=timestamp_ms), event_id=alert.alert_id))


def _new_feed() -> AlertFeed:
    auth = credentials_to_aiokafka_auth(app.conf.broker_credentials, app.conf.ssl_context)
    return AlertFeed(
        bootstrap=(settings.broker or "").split(","),
        topic=topic_name(ALERTS),
        consumer_options=dict(auth),
    )


feed: Final = _new_feed()


async def alerts_stream(request: web.Request) -> web.StreamResponse:
    """Server-sent events: the recent alerts, then each new one as the pipeline publishes it."""
    feed.ensure_reading()
    history, queue = feed.subscribe()
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )
    await response.prepare(request)
    metrics.page_streams.inc()
    try:
        await response.write(b"retry: 2000\n\n")
        for recent in history:
            await response.write(recent)
        while True:
            try:
                message = await asyncio.wait_for(queue.get(), timeout=HEARTBEAT_S)
            except TimeoutError:
                await response.write(b": keep-alive\n\n")
                continue
            if message is None:
                break
            await response.write(message)
    except ConnectionResetError:
        logger.debug("alert stream: a page went away")
    finally:
        metrics.page_streams.dec()
        feed.unsubscribe(queue)
    return response


async def index(request: web.Request) -> web.FileResponse:
    """The page itself."""
    return web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


_web_app: web.Application = app.web.web_app  # type: ignore[attr-defined]  # faust's aiohttp driver
_web_app.router.add_get("/", index)
_web_app.router.add_get("/alerts/stream", alerts_stream)
_web_app.router.add_static("/static/", STATIC_DIR)
_web_app.on_shutdown.append(feed.close)
