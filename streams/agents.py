"""Kafka wiring: topic -> pure stage -> topic, with dead letters and metrics.

Topology (every agent also writes failures to ``posts.dlq``)::

    posts.raw ─process_posts─┬─> posts.enriched      (key: feed_id)
      (key: feed_id)         ├─> posts.duplicates    (key: feed_id)
         validate            └─> claims.events       (key: claim key = metric|actor|place)
         dedupe [posts.seen]
         enrich [feeds.story]
    claims.events ─track_claims [claims.ledger]─> alerts (key: claim key)
                                                └─> alerts.<subscription>  copies, per the subscriptions file

validate, dedupe and enrich are fused into one agent: they share the feed
partitioning, and every hop saved is a produce, a fetch and a decode saved.
Claims are re-keyed by claim key explicitly on send, so each ledger entry is
owned by exactly one partition. Agents run at concurrency 1: a higher one can
commit past an event still in flight.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import signal
import time
import weakref
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import faust
from aiokafka.errors import KafkaError, KafkaTimeoutError
from faust.streams import _current_event  # faust has no public setter; see _set_current_event
from prometheus_client import REGISTRY

from streams import topics
from streams.app import app, settings
from streams.deadletter import send_to_dlq
from streams.metrics import StreamsMetrics
from streams.models import Alert, ClaimEvent, DuplicatePost, LedgerState, PostRef, encode
from streams.observe import PipelineSensor, WorkerObserver, log_task_stacks
from streams.security import kafka_security
from streams.seenwindow import SeenWindow
from streams.stages.dedupe import Verdict, expired_partition, judge
from streams.stages.enrich import enrich_with_story
from streams.stages.ledger import apply_claim, idle_partition
from streams.stages.subscriptions import matching_subscriptions
from streams.stages.validate import validate_record
from streams.subscriptionfile import SubscriptionFile
from streams.tablecodecs import LedgerCodec, StoryCodec, ledger_stamp

logger = logging.getLogger(__name__)

metrics = StreamsMetrics.create(REGISTRY)
observer = WorkerObserver(
    app,
    metrics,
    bootstrap=settings.broker or "",
    topic_prefix=settings.topic_prefix,
    security=kafka_security(settings),
)
app.sensors.add(PipelineSensor(metrics))
OBSERVE_INTERVAL_S = 5.0
# A failed ledger batch is retried after 0.5, 1, 2, ... seconds, at most 30 s apart.
_RETRY_BACKOFF_FIRST_S = 0.5
_RETRY_BACKOFF_MAX_S = 30.0
# A batch failing otherwise than by a broker outage is dead-lettered after this many tries (7.5 s).
_LEDGER_BATCH_ATTEMPTS = 5
_injected_faults_left = [settings.debug_ledger_fail_batches]  # a list: counted down without `global`
DEDUPE_WINDOW = timedelta(hours=settings.dedupe_window_hours)
LEDGER_WINDOW = timedelta(hours=settings.ledger_window_hours)
subscriptions = SubscriptionFile(settings.subscriptions)
ledger_codec = LedgerCodec()
story_codec = StoryCodec()
seen_window = SeenWindow(settings.dedupe_max_entries, settings.partitions)
_declared_subscription_topics: set[str] = set()


def _event_time(event: Any) -> datetime:
    """The broker timestamp of an event (falls back to now for timestamp-less messages)."""
    stamp = getattr(event.message, "timestamp", None)
    if stamp:
        return datetime.fromtimestamp(stamp, UTC)
    return datetime.now(UTC)


def _origin(event: Any) -> str:
    """``topic:partition:offset`` of an event: tells a replay of our own work from a redelivery."""
    message = event.message
    return f"{message.topic}:{message.partition}:{message.offset}"


def _remember(verdict: Verdict, partition: int) -> None:
    """Write a dedupe verdict's entries to the posts.seen table.

    A post's anchors all hold the same entry: they share one value object in the
    memory store (a quarter less dedupe memory per post), and nobody mutates one.
    """
    values: dict[int, dict[str, object]] = {}
    for key, seen in verdict.writes.items():
        value = values.get(id(seen))
        if value is None:
            value = values[id(seen)] = seen.to_json()
        topics.posts_seen[key] = value
    seen_window.note(partition, verdict.writes)
    for key in seen_window.overflow(partition):
        if key in topics.posts_seen:
            del topics.posts_seen[key]


@app.task  # type: ignore[untyped-decorator]  # faust is untyped
async def install_task_dump() -> None:
    """``kill -USR1`` on a worker logs what every task awaits (see observe.log_task_stacks)."""
    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, log_task_stacks, app)


@app.agent(topics.posts_raw, concurrency=1)
async def process_posts(stream: faust.StreamT[bytes]) -> None:
    """Validate, dedupe and enrich raw posts; fan claims out by claim key."""
    async for event in stream.events():
        started = time.perf_counter()
        try:
            post = validate_record(
                event.message.key, event.value, max_bytes=settings.max_message_bytes, now=datetime.now(UTC)
            )
        except Exception as exc:  # noqa: BLE001 - the DLQ boundary
            metrics.count("validate", "dead_lettered")
            await send_to_dlq(event, exc, stage="validate")
            continue
        metrics.count("validate", "ok")
        metrics.stage_seconds.labels(stage="validate").observe(time.perf_counter() - started)
        feed_key = post.feed_id.encode()

        verdict = judge(
            post, lookup=topics.posts_seen.get, now=_event_time(event), window=DEDUPE_WINDOW, origin=_origin(event)
        )
        fp = verdict.fingerprint
        if not verdict.passes:
            duplicate = DuplicatePost(
                post=post,
                fingerprint=fp,
                duplicate_of=verdict.duplicate_of or "",
                reason=verdict.outcome,
            )
            await topics.posts_duplicates.send(key=feed_key, value=encode(duplicate))
            _remember(verdict, event.message.partition)
            metrics.count("dedupe", "duplicate")
            continue
        metrics.count("dedupe", "ok")

        enrich_started = time.perf_counter()
        try:
            # posts.raw is keyed by feed, so this partition owns the feed's story.
            story = story_codec.read(post.feed_id, topics.feeds_story.get(post.feed_id))
            enriched, next_story = enrich_with_story(post, fingerprint=fp, story=story)
        except Exception as exc:  # noqa: BLE001 - the DLQ boundary
            metrics.count("enrich", "dead_lettered")
            await send_to_dlq(event, exc, stage="enrich")
            continue
        metrics.stage_seconds.labels(stage="enrich").observe(time.perf_counter() - enrich_started)

        await topics.posts_enriched.send(key=feed_key, value=encode(enriched))
        ref = PostRef.of(post)
        labels = [category.label for category in enriched.categories]
        for claim in enriched.claims:
            claim_event = ClaimEvent(key=claim.key, claim=claim, post=ref, categories=labels)
            await topics.claims_events.send(key=claim.key.encode(), value=encode(claim_event))
        # Remember the post after its outputs are queued. The changelog write may still
        # reach the broker first; the origin stored with it makes a replay of this same
        # record pass dedupe again, so a crash in between duplicates, never loses.
        _remember(verdict, event.message.partition)
        topics.feeds_story[post.feed_id] = story_codec.write(post.feed_id, next_story)
        metrics.count("enrich", "ok")


def _observe_latency(post: PostRef) -> None:
    now = datetime.now(UTC)
    if post.ingested_at is not None:
        metrics.alert_latency.labels(since="ingested").observe((now - post.ingested_at).total_seconds())
    if post.published_at is not None:
        metrics.alert_latency.labels(since="published").observe((now - post.published_at).total_seconds())


@app.agent(topics.claims_events, concurrency=1)
async def track_claims(stream: faust.StreamT[bytes]) -> None:
    """Compare each claim with its key's ledger state and send the alerts it raises, a batch of claims at a time."""
    # take_events acks a batch's events only after this body has handled all of them.
    batches = stream.take_events(  # type: ignore[attr-defined]  # on faust.Stream, missing from StreamT
        settings.ledger_batch_max, within=settings.ledger_batch_seconds
    )
    async for batch in batches:
        await _track_until_done(batch)


async def _track_until_done(batch: Sequence[Any]) -> None:
    """Handle a batch of claim events, retrying the whole batch until it succeeds or is dead-lettered.

    take_events acks a batch when its consumer finishes the batch *or raises*, so an
    error escaping here (an alert the broker never acknowledged, a ledger write refused)
    would commit claims that raised no alert and reached no ledger. Retrying is the crash
    replay in-process: re-sent alerts keep their alert_ids, and a claim already recorded
    gives back the same state. Poison events never get here: each goes to the DLQ on its own.
    """
    for attempt in itertools.count(1):
        try:
            await _track_batch(batch)
        except Exception as exc:
            if not _transient(exc) and attempt >= _LEDGER_BATCH_ATTEMPTS:
                # The same failure every time is no outage: park the batch's claims in the
                # DLQ with the reason, so the partition moves on and nothing is dropped.
                logger.exception("ledger batch of %d claims failed %d times; dead-lettering it", len(batch), attempt)
                for event in batch:
                    metrics.count("ledger", "dead_lettered")
                    await send_to_dlq(event, exc, stage="ledger")
                return
            metrics.count("ledger", "retried")
            # A broker outage is waited out for as long as it lasts: the partition shows it
            # as this log and as growing consumer lag, never as claims gone missing.
            backoff_s = min(_RETRY_BACKOFF_MAX_S, _RETRY_BACKOFF_FIRST_S * 2 ** (attempt - 1))
            logger.exception(
                "ledger batch of %d claims failed (attempt %d); retrying in %.1fs", len(batch), attempt, backoff_s
            )
            await asyncio.sleep(backoff_s)
        else:
            return
        finally:
            _set_current_event(None)  # whether the batch succeeded or not, no event of it is current any more


def _transient(exc: BaseException) -> bool:
    """Whether ``exc`` is the broker being unreachable or slow, which passes, rather than a fault that repeats."""
    if isinstance(exc, KafkaTimeoutError | TimeoutError | ConnectionError):
        return True
    return isinstance(exc, KafkaError) and bool(exc.retriable)


def _injected_batch_fault() -> None:
    """Fault tests only: fail the first LIVEWIRE_DEBUG_LEDGER_FAIL_BATCHES batches after their alerts are sent."""
    if _injected_faults_left[0] > 0:
        _injected_faults_left[0] -= 1
        msg = "injected ledger batch fault (LIVEWIRE_DEBUG_LEDGER_FAIL_BATCHES)"
        raise RuntimeError(msg)


async def _track_batch(batch: Sequence[Any]) -> None:
    pending: dict[bytes, tuple[Any, LedgerState]] = {}  # claim key -> (its latest event, state so far)
    changed: set[bytes] = set()
    deliveries: list[Awaitable[Any]] = []
    sent: list[tuple[ClaimEvent, Alert]] = []
    for event in batch:
        if settings.debug_ledger_delay_s:
            await asyncio.sleep(settings.debug_ledger_delay_s)  # a slow downstream, for fault tests only
        started = time.perf_counter()
        _set_current_event(event)
        try:
            claim_event = ClaimEvent.model_validate_json(event.value)
            key = claim_event.key.encode()
            state = pending[key][1] if key in pending else ledger_codec.read(key, topics.claims_ledger.get(key))
            pending[key] = (event, state)
            new_state, alerts = apply_claim(
                state, claim_event, updated_at=_event_time(event), partition=event.message.partition
            )
        except Exception as exc:  # noqa: BLE001 - the DLQ boundary
            metrics.count("ledger", "dead_lettered")
            await send_to_dlq(event, exc, stage="ledger")
            continue
        if new_state is not state:  # a replayed claim gives back the same state: nothing to write
            pending[key] = (event, new_state)
            changed.add(key)
        for alert in alerts:
            deliveries.append(await topics.alerts.send(key=key, value=encode(alert)))
            sent.append((claim_event, alert))
        metrics.count("ledger", "ok" if alerts else "filtered")
        metrics.stage_seconds.labels(stage="ledger").observe(time.perf_counter() - started)
    # Wait for the broker's ack of every alert before the ledger records any claim of the
    # batch: if we crash in between, the replay (the batch's events are acked only after
    # this) re-sends the same alert_ids instead of finding the claims recorded and staying silent.
    await asyncio.gather(*deliveries)
    _injected_batch_fault()
    copies: list[Awaitable[Any]] = []
    for claim_event, alert in sent:
        metrics.alerts.labels(type=alert.type.value, severity=alert.severity.value).inc()
        _observe_latency(claim_event.post)
        copies += await _send_copies(claim_event.key, alert)
    # The copies are acknowledged before the ledger records the batch, as the alerts are: a copy
    # that failed to deliver fails the batch, whose retry sends the alert and its copies again.
    await asyncio.gather(*copies)
    metrics.count("subscriptions", "ok", len(copies))
    for key in changed:
        event, state = pending[key]
        _set_current_event(event)
        topics.claims_ledger[key] = ledger_codec.write(key, state)


def _set_current_event(event: Any) -> None:
    """Make ``event`` faust's current event in this task: tables find a key's partition through it.

    A batch taken with take_events leaves it unset in the agent's task, so each
    claim's reads and writes name their own event (the claim key's partition: the
    changelog record and the RocksDB shard follow it). Only the task-local context
    variable is set, as faust's stream does per event; the stream's own
    ``current_event``, which take_events' buffer reads, is left alone.
    """
    _current_event.set(weakref.ref(event) if event is not None else None)


async def _send_copies(key: str, alert: Alert) -> list[Awaitable[Any]]:
    """Copy an alert to the topic of each subscription that wants it; return the deliveries to wait for."""
    if not subscriptions.checked:
        subscriptions.refresh()  # the first alert may come before the first timer tick
    deliveries = []
    for name in matching_subscriptions(alert, subscriptions.current):
        topic = await _declared_subscription_topic(name)
        deliveries.append(await topic.send(key=key.encode(), value=encode(alert)))
    return deliveries


async def _declared_subscription_topic(name: str) -> Any:
    """A subscription's copy topic, created on the broker the first time this worker needs it."""
    topic = topics.subscription_topic(name)
    if name not in _declared_subscription_topics:
        await topic.maybe_declare()
        _declared_subscription_topics.add(name)
    return topic


@app.timer(interval=settings.subscriptions_check_seconds)  # type: ignore[untyped-decorator]  # faust is untyped
async def reload_subscriptions() -> None:
    """Pick up an edited subscriptions file without a restart (a broken one is logged and ignored).

    Each subscription's topic is created when the subscription appears, not on its first
    copy: a partition of a topic created a moment ago can still be electing its leader,
    and a copy sent then was seen to stall in the producer's retries.
    """
    subscriptions.refresh()
    for subscription in subscriptions.current:
        await _declared_subscription_topic(subscription.name)


# Once a minute, or twice per window when the window is shorter (tests use seconds).
PRUNE_INTERVAL_S = min(60.0, DEDUPE_WINDOW.total_seconds() / 2)


def _tombstone(table: Any, expired_on: Callable[[Any], int | None]) -> list[Any]:
    """Delete every entry of ``table`` for which ``expired_on(value)`` names a partition; return their keys.

    A timer has no current event, so ``del table[key]`` cannot find the key's changelog
    partition (faust raises, which would stop the timer): the value names the partition
    it was written to, and the tombstone goes there.
    """
    expired = [(key, partition) for key, value in list(table.items()) if (partition := expired_on(value)) is not None]
    for key, partition in expired:
        table.send_changelog(partition, key, None, value_serializer="raw")
        del table.data[key]
    return [key for key, _ in expired]


@app.timer(interval=PRUNE_INTERVAL_S)  # type: ignore[untyped-decorator]  # faust is untyped
async def prune_seen_posts() -> None:
    """Delete dedupe entries older than the window, so the table stays bounded."""
    now = datetime.now(UTC)
    stale = _tombstone(topics.posts_seen, lambda value: expired_partition(value, now=now, window=DEDUPE_WINDOW))
    if stale:
        logger.info("pruned %d dedupe entries older than %s", len(stale), DEDUPE_WINDOW)


# Once a minute, or twice per window when the window is shorter (tests use seconds).
LEDGER_PRUNE_INTERVAL_S = min(60.0, LEDGER_WINDOW.total_seconds() / 2)


@app.timer(interval=LEDGER_PRUNE_INTERVAL_S)  # type: ignore[untyped-decorator]  # faust is untyped
async def forget_idle_claims() -> None:
    """Forget claim keys that recorded no claim within the window, so the ledger stays bounded."""
    now = datetime.now(UTC)
    idle = _tombstone(
        topics.claims_ledger, lambda value: idle_partition(*ledger_stamp(value), now=now, window=LEDGER_WINDOW)
    )
    for key in idle:
        ledger_codec.forget(key)
    if idle:
        logger.info("forgot %d claim keys idle for longer than %s", len(idle), LEDGER_WINDOW)


@app.timer(interval=OBSERVE_INTERVAL_S)  # type: ignore[untyped-decorator]  # faust is untyped
async def observe_worker() -> None:
    """Refresh consumer lag, partitions owned, table sizes and worker info for /metrics."""
    await observer.refresh()
