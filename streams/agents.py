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
import logging
import signal
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import faust
from prometheus_client import REGISTRY

from streams import topics
from streams.app import app, settings
from streams.deadletter import send_to_dlq
from streams.metrics import StreamsMetrics
from streams.models import Alert, ClaimEvent, DuplicatePost, LedgerEntry, PostRef, Story, encode
from streams.observe import PipelineSensor, WorkerObserver, log_task_stacks
from streams.security import kafka_security
from streams.stages.dedupe import Verdict, expired, judge
from streams.stages.enrich import enrich
from streams.stages.ledger import apply_claim
from streams.stages.story import observe_story
from streams.stages.subscriptions import matching_subscriptions
from streams.stages.validate import validate_record
from streams.subscriptionfile import SubscriptionFile

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
DEDUPE_WINDOW = timedelta(hours=settings.dedupe_window_hours)
subscriptions = SubscriptionFile(settings.subscriptions)
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


def _remember(verdict: Verdict) -> None:
    """Write a dedupe verdict's entries to the posts.seen table."""
    for key, seen in verdict.writes.items():
        topics.posts_seen[key] = seen.to_json()


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
            _remember(verdict)
            metrics.count("dedupe", "duplicate")
            continue
        metrics.count("dedupe", "ok")

        enrich_started = time.perf_counter()
        try:
            # posts.raw is keyed by feed, so this partition owns the feed's story.
            stored_story = topics.feeds_story.get(post.feed_id)
            story = Story.model_validate(stored_story) if stored_story else None
            enriched = enrich(post, fingerprint=fp, story=story)
            next_story = observe_story(story, post, enriched.entities)
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
        _remember(verdict)
        topics.feeds_story[post.feed_id] = next_story.model_dump(mode="json")
        metrics.count("enrich", "ok")


def _observe_latency(post: PostRef) -> None:
    now = datetime.now(UTC)
    if post.ingested_at is not None:
        metrics.alert_latency.labels(since="ingested").observe((now - post.ingested_at).total_seconds())
    if post.published_at is not None:
        metrics.alert_latency.labels(since="published").observe((now - post.published_at).total_seconds())


@app.agent(topics.claims_events, concurrency=1)
async def track_claims(stream: faust.StreamT[bytes]) -> None:
    """Compare each claim with its ledger history and send the alerts it raises."""
    async for event in stream.events():
        if settings.debug_ledger_delay_s:
            await asyncio.sleep(settings.debug_ledger_delay_s)  # a slow downstream, for fault tests only
        started = time.perf_counter()
        try:
            claim_event = ClaimEvent.model_validate_json(event.value)
            history = [LedgerEntry.model_validate(item) for item in topics.claims_ledger[claim_event.key.encode()]]
            new_history, alerts = apply_claim(history, claim_event)
        except Exception as exc:  # noqa: BLE001 - the DLQ boundary
            metrics.count("ledger", "dead_lettered")
            await send_to_dlq(event, exc, stage="ledger")
            continue
        for alert in alerts:
            # Wait for the broker's ack before the ledger records the claim: if we
            # crash in between, the replay re-sends the same alert_id instead of
            # finding the claim already recorded and staying silent.
            delivery = await topics.alerts.send(key=claim_event.key.encode(), value=encode(alert))
            await delivery
            metrics.alerts.labels(type=alert.type.value, severity=alert.severity.value).inc()
            _observe_latency(claim_event.post)
            await _send_copies(claim_event.key, alert)
        if new_history is not history:
            topics.claims_ledger[claim_event.key.encode()] = [entry.model_dump(mode="json") for entry in new_history]
        metrics.count("ledger", "ok" if alerts else "filtered")
        metrics.stage_seconds.labels(stage="ledger").observe(time.perf_counter() - started)


async def _send_copies(key: str, alert: Alert) -> None:
    """Copy an alert to the topic of each subscription that wants it."""
    if not subscriptions.checked:
        subscriptions.refresh()  # the first alert may come before the first timer tick
    for name in matching_subscriptions(alert, subscriptions.current):
        topic = topics.subscription_topic(name)
        if name not in _declared_subscription_topics:
            await topic.maybe_declare()
            _declared_subscription_topics.add(name)
        await topic.send(key=key.encode(), value=encode(alert))
        metrics.count("subscriptions", "ok")


@app.timer(interval=settings.subscriptions_check_seconds)  # type: ignore[untyped-decorator]  # faust is untyped
async def reload_subscriptions() -> None:
    """Pick up an edited subscriptions file without a restart (a broken one is logged and ignored)."""
    subscriptions.refresh()


@app.timer(interval=60.0)  # type: ignore[untyped-decorator]  # faust is untyped
async def prune_seen_posts() -> None:
    """Delete dedupe entries older than the window, so the table stays bounded."""
    now = datetime.now(UTC)
    stale = [key for key, value in list(topics.posts_seen.items()) if expired(value, now=now, window=DEDUPE_WINDOW)]
    for key in stale:
        del topics.posts_seen[key]
    if stale:
        logger.info("pruned %d dedupe entries older than %s", len(stale), DEDUPE_WINDOW)


@app.timer(interval=OBSERVE_INTERVAL_S)  # type: ignore[untyped-decorator]  # faust is untyped
async def observe_worker() -> None:
    """Refresh consumer lag, partitions owned, table sizes and worker info for /metrics."""
    await observer.refresh()
