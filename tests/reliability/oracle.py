"""The reliability oracle: every post the broker acknowledged must come out of the pipeline.

A :class:`Sender` produces posts with unique ids and per-feed sequence numbers and records which
sends the broker acknowledged. A :class:`Collector` reads every output topic. :func:`judge` then
computes, Kafka-system-test style::

    lost = acknowledged - (enriched ∪ duplicates ∪ dead-lettered)

plus the stricter ``unprocessed = acknowledged valid posts - enriched`` (every post we send has
unique content, so one that only reached ``posts.duplicates`` was swallowed, not deduplicated),
the duplicated outputs (which must be byte-identical copies, so subscribers can drop them by id),
per-feed order, and alerts (at most one ``new_claim`` per claim key: a lost ledger would re-alert
an old claim as new). Each scenario's figures go to ``.state/reliability/<scenario>.json``, from
which ``python -m tests.reliability.report`` prints the table in docs/reliability.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.partitioner.default import murmur2

from streams.kafkaio import ensure_topics
from streams.models import Claim, ClaimEvent, PostRef, encode
from streams.runner import WorkerProcess
from streams.topics import ALERTS, CLAIMS_EVENTS, POSTS_DLQ, POSTS_DUPLICATES, POSTS_ENRICHED, POSTS_RAW, PUBLIC_TOPICS

REPO = Path(__file__).resolve().parents[2]
RESULTS_DIR = Path(os.environ.get("LIVEWIRE_RELIABILITY_DIR", REPO / ".state" / "reliability"))
PARTITIONS = 4

# Places and figures the extraction stages turn into one claim per post (75 claim keys).
_PLACES = (
    *("Kharkiv", "Odesa", "Sumy", "Lviv", "Dnipro", "Kherson", "Mykolaiv", "Poltava", "Paris", "Berlin"),
    *("Madrid", "Rome", "Vienna", "Warsaw", "Prague", "Budapest", "Lisbon", "Athens", "Oslo", "Helsinki"),
    *("Cairo", "Nairobi", "Lagos", "Lima", "Quito"),
)
_WORDS = ("killed", "injured", "displaced")


def partition_of(key: str, partitions: int = PARTITIONS) -> int:
    """The partition Kafka's default partitioner picks for a key (murmur2, as the Java client)."""
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


def spread_feed_ids(run_id: str, feeds: int) -> list[str]:
    """``feeds`` feed ids whose keys land on as many different partitions as possible.

    Random ids can all hash to one worker's partitions, and then a test that kills
    "the other" worker kills an idle one; choosing the ids makes every run load every partition.
    """
    chosen: dict[int, str] = {}
    extra: list[str] = []
    candidate = 0
    while len(chosen) + len(extra) < feeds:
        feed = f"feed-{run_id}-{candidate}"
        candidate += 1
        if partition_of(feed) not in chosen:
            chosen[partition_of(feed)] = feed
        elif len(chosen) == min(feeds, PARTITIONS):
            extra.append(feed)
    return sorted(chosen.values()) + extra


def make_posts(run_id: str, count: int, *, feeds: int = 4) -> list[dict[str, Any]]:
    """``count`` valid posts over ``feeds`` feeds (spread over the partitions), round robin.

    Every post has unique text and one claim.
    """
    feed_ids = spread_feed_ids(run_id, feeds)
    posts = []
    for i in range(count):
        feed = feed_ids[i % feeds]
        seq = i // feeds
        place = _PLACES[i % len(_PLACES)]
        word = _WORDS[(i // len(_PLACES)) % len(_WORDS)]
        figure = 3 + i // (len(_PLACES) * len(_WORDS))
        posts.append(
            {
                "source": "oracle",
                "feed_id": feed,
                "post_id": f"{feed}-{seq:06d}",
                "seq": seq,
                "title": f"Update {seq} of {feed}: {figure} people {word} in {place}",
                "body": f"Officials said {figure} people were {word} in {place}. Report {run_id}/{i}.",
            }
        )
    return posts


def topic(prefix: str, name: str) -> str:
    """The broker-side name of a registry topic under a test's prefix."""
    return f"{prefix}{name}"


def create_topics(bootstrap: str, prefix: str) -> None:
    """Create the public topics up front, so the collector can read them before the worker exists."""
    names = [topic(prefix, name) for name in PUBLIC_TOPICS]
    ensure_topics(bootstrap, names, partitions=PARTITIONS, replication_factor=1)


class Sender:
    """Produce posts from a thread and record which ones the broker acknowledged.

    The producer is idempotent with ``acks=all`` (as ``livewire ingest``), and retries for up to
    ``delivery_timeout_s`` so that a broker restart delays sends instead of failing them.
    """

    def __init__(
        self,
        bootstrap: str,
        raw_topic: str,
        messages: list[tuple[bytes | None, bytes, str | None]],
        *,
        rate: float | None = None,
        delivery_timeout_s: float = 120.0,
        hold_after: int | None = None,
    ) -> None:
        self.bootstrap = bootstrap
        self.raw_topic = raw_topic
        self.messages = messages
        self.rate = rate
        self.delivery_timeout_s = delivery_timeout_s
        self.acked: set[str] = set()
        self.failed: list[str] = []
        self.sent = 0
        self.hold_after = hold_after
        self.release = threading.Event()
        """With ``hold_after``, the sender stops after that many sends until this is set (or 120 s pass)."""
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="oracle-sender", daemon=True)
        self._error: BaseException | None = None

    @classmethod
    def of_posts(cls, bootstrap: str, raw_topic: str, posts: list[dict[str, Any]], **kwargs: Any) -> Sender:
        """A sender of well-formed posts keyed by feed id."""
        messages = [(p["feed_id"].encode(), orjson.dumps(p), p["post_id"]) for p in posts]
        return cls(bootstrap, raw_topic, messages, **kwargs)

    def start(self) -> Sender:
        """Start producing in the background."""
        self._thread.start()
        return self

    def done(self) -> bool:
        """True once every message was sent and flushed (or the thread failed)."""
        return not self._thread.is_alive()

    def join(self, timeout: float = 300.0) -> None:
        """Wait until every send is acknowledged or failed; re-raise a crash of the sending thread."""
        self._thread.join(timeout)
        if self._thread.is_alive():
            msg = f"sender still running after {timeout:.0f}s ({self.sent} sent, {len(self.acked)} acked)"
            raise AssertionError(msg)
        if self._error is not None:
            raise self._error

    def _ack(self, ident: str | None) -> Callable[[Any], None]:
        def on_success(_metadata: Any) -> None:
            if ident is not None:
                with self._lock:
                    self.acked.add(ident)

        return on_success

    def _fail(self, ident: str | None) -> Callable[[Any], None]:
        def on_error(_exc: Any) -> None:
            with self._lock:
                self.failed.append(ident or "?")

        return on_error

    def _run(self) -> None:
        try:
            producer = KafkaProducer(
                bootstrap_servers=self.bootstrap.split(","),
                acks="all",
                enable_idempotence=True,
                linger_ms=5,
                delivery_timeout_ms=int(self.delivery_timeout_s * 1000),
                request_timeout_ms=10_000,
                max_block_ms=int(self.delivery_timeout_s * 1000),
                reconnect_backoff_max_ms=1000,
                client_id="livewire-oracle",
            )
            try:
                started = time.monotonic()
                for n, (key, value, ident) in enumerate(self.messages):
                    if n == self.hold_after:
                        self.release.wait(timeout=120)
                        started = time.monotonic() - n / self.rate if self.rate else started
                    if self.rate:
                        # Pace by a schedule, not by sleeping a fixed gap: late sends catch up.
                        due = started + n / self.rate
                        delay = due - time.monotonic()
                        if delay > 0:
                            time.sleep(delay)
                    future = producer.send(self.raw_topic, key=key, value=value)
                    future.add_callback(self._ack(ident))
                    future.add_errback(self._fail(ident))
                    self.sent += 1
                producer.flush(timeout=self.delivery_timeout_s)
            finally:
                producer.close(timeout=10)
        except BaseException as exc:  # handed to join(), which re-raises it in the test
            self._error = exc


@dataclass
class Output:
    """One record read from an output topic."""

    topic: str
    partition: int
    offset: int
    value: bytes
    received_at: float


class Collector:
    """Read every output topic of one pipeline continuously (no consumer group), keeping all records."""

    def __init__(
        self,
        bootstrap: str,
        prefix: str,
        names: tuple[str, ...] = (POSTS_ENRICHED, POSTS_DUPLICATES, POSTS_DLQ, CLAIMS_EVENTS, ALERTS),
    ) -> None:
        self.prefix = prefix
        self.names = {topic(prefix, n): n for n in names}
        self.consumer = KafkaConsumer(
            bootstrap_servers=bootstrap.split(","),
            group_id=None,
            enable_auto_commit=False,
            client_id="livewire-oracle-collector",
            reconnect_backoff_max_ms=1000,
        )
        self.tps = [TopicPartition(name, p) for name in self.names for p in range(PARTITIONS)]
        self.consumer.assign(self.tps)
        self.consumer.seek_to_beginning(*self.tps)
        self.records: dict[str, list[Output]] = defaultdict(list)

    def close(self) -> None:
        """Close the consumer."""
        self.consumer.close()

    def poll(self, seconds: float = 0.5) -> int:
        """Fetch what arrived within ``seconds``; return how many records."""
        got = 0
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return got
            batch = self.consumer.poll(timeout_ms=max(1, int(min(remaining, 0.5) * 1000)))
            now = time.monotonic()
            for records in batch.values():
                for r in records:
                    name = self.names[r.topic]
                    self.records[name].append(Output(name, r.partition, r.offset, r.value or b"", now))
                    got += 1

    def count(self, name: str) -> int:
        """Records read so far from registry topic ``name``."""
        return len(self.records[name])

    def end_offsets(self, names: tuple[str, ...] = (POSTS_ENRICHED, POSTS_DUPLICATES)) -> dict[tuple[str, int], int]:
        """The broker's log-end offsets of the given topics' partitions right now."""
        tps = [tp for tp in self.tps if self.names[tp.topic] in names]
        ends = self.consumer.end_offsets(tps)
        return {(self.names[tp.topic], tp.partition): int(offset) for tp, offset in ends.items()}

    def first_output_after(self, ends: dict[tuple[str, int], int]) -> float | None:
        """When output resumed after a fault: the time every partition that produced again had done so.

        ``ends`` are the log-end offsets taken at the fault. Per partition, the first record past them
        counts; the latest of those is when the last partition (the one whose owner died) came back.
        """
        first: dict[int, float] = {}
        for name in (POSTS_ENRICHED, POSTS_DUPLICATES):
            for r in self.records[name]:
                if r.offset >= ends.get((name, r.partition), 0):
                    first[r.partition] = min(first.get(r.partition, r.received_at), r.received_at)
        return max(first.values()) if first else None

    def accounted(self) -> set[str]:
        """Post ids seen in enriched, duplicates or dead letters."""
        return set(_enriched_ids(self)) | set(_duplicate_ids(self)) | set(_dead_ids(self))

    def unalerted(self, *, replayed: bool = False) -> set[tuple[str, str]]:
        """Claims (post id, claim key) on claims.events without an alert yet.

        The oracle's posts give every claim key a new figure each time, so each claim must alert.
        Except after a replay: a replayed post is enriched with the feed's story as it stood later
        (see docs/reliability.md) and its claim may be filed under another key, where the same
        figure can be a restatement. Those are left out, or with ``replayed`` returned alone.
        """
        claims = {(v["post"]["post_id"], v["key"]) for v in map(_value, self.records[CLAIMS_EVENTS])}
        alerted = {(v["post"]["post_id"], v["claim_key"]) for v in map(_value, self.records[ALERTS])}
        copies = Counter(_enriched_ids(self))
        missing = claims - alerted
        return {(post, key) for post, key in missing if (copies[post] > 1) == replayed}

    def wait_for(self, ids: set[str], *, timeout: float, alive: Callable[[], None] | None = None) -> float:
        """Poll until every id in ``ids`` is accounted for; return when (monotonic).

        Raises:
            AssertionError: not so within ``timeout`` seconds, or ``alive`` found a dead worker.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.poll(0.5)
            if alive is not None:
                alive()
            if ids <= self.accounted():
                return time.monotonic()
        missing = ids - self.accounted()
        msg = (
            f"after {timeout:.0f}s: {len(missing)} of {len(ids)} posts not accounted for, e.g. {sorted(missing)[:5]}; "
            f"{len(self.unalerted())} claims without an alert"
        )
        raise AssertionError(msg)

    def wait_count(self, name: str, at_least: int, *, timeout: float, alive: Callable[[], None] | None = None) -> None:
        """Poll until ``name`` has at least ``at_least`` records (read so far)."""
        deadline = time.monotonic() + timeout
        while self.count(name) < at_least:
            if time.monotonic() > deadline:
                msg = f"{name}: {self.count(name)} records after {timeout:.0f}s, wanted {at_least}"
                raise AssertionError(msg)
            self.poll(0.3)
            if alive is not None:
                alive()

    def settle(self, quiet: float = 3.0, *, timeout: float = 60.0) -> None:
        """Read until nothing new arrived for ``quiet`` seconds (late re-sends after a replay)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.poll(quiet):
            pass


def _loads(value: bytes) -> Any:
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        return None


def _value(record: Output) -> Any:
    return orjson.loads(record.value)


def _enriched_ids(c: Collector) -> list[str]:
    return [orjson.loads(r.value)["post"]["post_id"] for r in c.records[POSTS_ENRICHED]]


def _duplicate_ids(c: Collector) -> list[str]:
    return [orjson.loads(r.value)["post"]["post_id"] for r in c.records[POSTS_DUPLICATES]]


def _dead_ids(c: Collector) -> list[str]:
    ids = []
    for r in c.records[POSTS_DLQ]:
        data = _loads(r.value)
        if isinstance(data, dict) and isinstance(data.get("post_id"), str):
            ids.append(data["post_id"])
    return ids


@dataclass
class Verdict:
    """What the oracle found for one scenario."""

    scenario: str
    sent: int
    acknowledged: int
    lost: list[str]
    """Acknowledged ids in none of enriched, duplicates, dead letters (must be empty)."""
    unprocessed: list[str]
    """Acknowledged valid ids never enriched (must be empty: every post we send is unique)."""
    duplicated: int
    """Output records beyond the first for the same post or alert (at-least-once re-sends)."""
    mismatched_copies: list[str]
    """Ids whose repeats differ in identity: another post or another alert under one id (must be empty)."""
    drifted_copies: int
    """Repeats with the same identity whose state-derived fields differ (allowed, reported)."""
    order_violations: list[str]
    """Feeds whose enriched posts (first copies) are not in sequence order (must be empty)."""
    realerted_keys: list[str]
    """Claim keys with more than one distinct new_claim alert (must be empty)."""
    unalerted: list[str]
    """Claims on claims.events without an alert once output settled (reported: the ledger's rules decide)."""
    unalerted_replayed: int
    """Claims of replayed posts without an alert (allowed, reported: they may be re-filed, see above)."""
    alerts: int
    distinct_alerts: int
    dead_lettered: int
    recovery_s: float | None = None
    """From the fault until the pipeline produced output again."""
    catch_up_s: float | None = None
    """From the fault until every acknowledged post was accounted for."""
    extra: dict[str, Any] = field(default_factory=dict)

    def assert_nothing_lost(self) -> None:
        """Fail with the evidence unless nothing was lost, copies are identical and order holds."""
        assert self.lost == [], f"{len(self.lost)} acknowledged posts lost: {self.lost[:10]}"
        assert self.unprocessed == [], f"{len(self.unprocessed)} posts never enriched: {self.unprocessed[:10]}"
        assert self.mismatched_copies == [], f"copies that differ: {self.mismatched_copies[:10]}"
        assert self.order_violations == [], f"feeds out of order: {self.order_violations}"
        assert self.realerted_keys == [], f"claims re-alerted as new: {self.realerted_keys[:10]}"

    def write(self) -> Path:
        """Save the figures as JSON (for docs/reliability.md) and print a one-line summary."""
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        path = RESULTS_DIR / f"{self.scenario}.json"
        summary = {
            key: value
            for key, value in asdict(self).items()
            if key
            not in {"lost", "unprocessed", "mismatched_copies", "order_violations", "realerted_keys", "unalerted"}
        }
        summary |= {
            "lost": len(self.lost),
            "unprocessed": len(self.unprocessed),
            "mismatched_copies": len(self.mismatched_copies),
            "order_violations": len(self.order_violations),
            "realerted_keys": len(self.realerted_keys),
            "unalerted": len(self.unalerted),
            "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        path.write_text(json.dumps(summary, indent=2) + "\n")
        print(  # the figures are the point of these tests; pytest shows them with -s or on failure
            f"[oracle] {self.scenario}: sent={self.sent} acked={self.acknowledged} lost={len(self.lost)} "
            f"unprocessed={len(self.unprocessed)} duplicated={self.duplicated} dlq={self.dead_lettered} "
            f"alerts={self.alerts}/{self.distinct_alerts} distinct recovery_s={self.recovery_s} "
            f"catch_up_s={self.catch_up_s}"
        )
        return path


# What makes a repeat the same output: the input post for enriched posts, and the alert's identity
# (the inputs of alert_id) for alerts. Other fields are derived from state that a crash can leave
# ahead of the committed offset (feeds.story, the ledger): a replay computes them from the later
# state, so they may differ between copies. Those differences are counted, not failed.
def _post_identity(value: Any) -> Any:
    return (value["post"], value["fingerprint"])


def _alert_identity(value: Any) -> Any:
    return (value["alert_id"], value["claim_key"], value["type"], value["claim"]["value"], value["post"])


def _copies(
    records: list[Output], ident: Callable[[Any], str], identity: Callable[[Any], Any]
) -> tuple[int, list[str], list[str]]:
    """Count repeated outputs; list the ids whose repeats differ in identity, and those differing elsewhere."""
    first: dict[str, Any] = {}
    repeats = 0
    mismatched: list[str] = []
    drifted: list[str] = []
    for r in records:
        value = orjson.loads(r.value)
        key = ident(value)
        if key not in first:
            first[key] = value
            continue
        repeats += 1
        if first[key] == value:
            continue
        if identity(first[key]) == identity(value):
            drifted.append(key)
        else:
            mismatched.append(key)
    return repeats, mismatched, drifted


def judge(
    scenario: str,
    collector: Collector,
    *,
    sent: int,
    acknowledged: set[str],
    valid: set[str] | None = None,
) -> Verdict:
    """Compare what was acknowledged with what came out (see the module docstring)."""
    enriched = _enriched_ids(collector)
    lost = sorted(acknowledged - collector.accounted())
    must_enrich = acknowledged if valid is None else acknowledged & valid
    unprocessed = sorted(must_enrich - set(enriched))

    post_repeats, post_mismatch, post_drift = _copies(
        collector.records[POSTS_ENRICHED], lambda v: v["post"]["post_id"], _post_identity
    )
    alert_repeats, alert_mismatch, alert_drift = _copies(
        collector.records[ALERTS], lambda v: v["alert_id"], _alert_identity
    )

    order_violations = []
    last_seq: dict[str, int] = {}
    seen: set[str] = set()
    for record in collector.records[POSTS_ENRICHED]:
        post = orjson.loads(record.value)["post"]
        if post["post_id"] in seen:
            continue  # a re-sent copy; order is judged on first copies
        seen.add(post["post_id"])
        feed, seq = post["feed_id"], post.get("seq")
        if seq is None:
            continue
        if seq < last_seq.get(feed, -1):
            order_violations.append(f"{feed}: {seq} after {last_seq[feed]}")
        last_seq[feed] = max(seq, last_seq.get(feed, -1))

    new_claims: dict[str, set[str]] = defaultdict(set)
    alert_ids: Counter[str] = Counter()
    for record in collector.records[ALERTS]:
        alert = orjson.loads(record.value)
        alert_ids[alert["alert_id"]] += 1
        if alert["type"] == "new_claim":
            new_claims[alert["claim_key"]].add(alert["alert_id"])
    realerted = sorted(key for key, ids in new_claims.items() if len(ids) > 1)

    return Verdict(
        scenario=scenario,
        sent=sent,
        acknowledged=len(acknowledged),
        lost=lost,
        unprocessed=unprocessed,
        duplicated=post_repeats + alert_repeats,
        mismatched_copies=post_mismatch + alert_mismatch,
        drifted_copies=len(post_drift) + len(alert_drift),
        order_violations=order_violations,
        realerted_keys=realerted,
        unalerted=sorted(f"{post_id} {key}" for post_id, key in collector.unalerted()),
        unalerted_replayed=len(collector.unalerted(replayed=True)),
        alerts=sum(alert_ids.values()),
        distinct_alerts=len(alert_ids),
        dead_lettered=len(collector.records[POSTS_DLQ]),
    )


# --- workers ---------------------------------------------------------------------------------------


def worker_env(bootstrap: str, run_id: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """Environment of a worker isolated by app id and topic prefix; a short session timeout for fast failover."""
    return {
        "LIVEWIRE_BROKER": bootstrap,
        "LIVEWIRE_APP_ID": f"livewire-rel-{run_id}",
        "LIVEWIRE_TOPIC_PREFIX": f"r{run_id}.",
        "LIVEWIRE_PARTITIONS": str(PARTITIONS),
        "LIVEWIRE_DATA_DIR": str(data_dir),
        "LIVEWIRE_SESSION_TIMEOUT_S": "10",
        **extra,
    }


def raw_topic(env: dict[str, str]) -> str:
    """The worker's input topic."""
    return topic(env["LIVEWIRE_TOPIC_PREFIX"], POSTS_RAW)


def claim_events(
    run_id: str, count: int, *, tag: str, seq_start: int = 0
) -> list[tuple[bytes | None, bytes, str | None]]:
    """``count`` claim events for ``claims.events``, one per claim key, from posts tagged ``tag``.

    The actor makes the key (the same keys for the same run id), so each event is news to an
    empty ledger and a second call with another tag restates the same figures from new posts.
    """
    events: list[tuple[bytes | None, bytes, str | None]] = []
    for i in range(count):
        claim = Claim(metric="killed", value=float(10 + i), actor=f"actor-{run_id}-{i}", place="Lviv")
        post = PostRef(source="oracle", feed_id=f"feed-{run_id}", post_id=f"{tag}-{run_id}-{i:03d}", seq=seq_start + i)
        events.append((claim.key.encode(), encode(ClaimEvent(key=claim.key, claim=claim, post=post)), post.post_id))
    return events


def changelog_topic(env: dict[str, str], table: str) -> str:
    """The changelog topic faust keeps for the worker's ``table``."""
    return f"{env['LIVEWIRE_APP_ID']}-{env['LIVEWIRE_TOPIC_PREFIX']}{table}-changelog"


def wait_until_tombstoned(
    bootstrap: str,
    changelog: str,
    *,
    keys: set[bytes] | None,
    alive: Callable[[], None],
    log_tail: Callable[[], str],
    timeout: float = 90.0,
) -> None:
    """Read ``changelog`` from the start until every key written to it was deleted again.

    With ``keys`` given, each of them must have been written first; without, at least one key.
    This reads the table's own record, so it sees what a restarted worker would restore.
    """
    consumer = KafkaConsumer(changelog, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None)
    live: set[bytes] = set()
    written: set[bytes] = set()
    deadline = time.monotonic() + timeout
    try:
        while live or (written != keys if keys is not None else not written):
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    if record.value is None:
                        live.discard(record.key)
                    else:
                        live.add(record.key)
                        written.add(record.key)
            alive()
            assert time.monotonic() < deadline, (
                f"{changelog}: {len(live)} of {len(written)} keys written never deleted\n{log_tail()}"
            )
    finally:
        consumer.close()


def kill_hard(worker: WorkerProcess) -> None:
    """``kill -9`` the worker's process group (no shutdown, no flush, no commit) and reap it."""
    process = worker.process
    assert process is not None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    worker.stop()  # closes the log file; the process is already gone


def assert_alive(*workers: WorkerProcess) -> Callable[[], None]:
    """A check for polling loops: fail at once (with the log) when a worker that should run has exited."""

    def check() -> None:
        for worker in workers:
            if worker.process is not None and worker.process.poll() is not None:
                msg = f"worker exited with {worker.process.returncode}:\n{worker.log_tail(60)}"
                raise AssertionError(msg)

    return check


def validated(worker: WorkerProcess) -> float:
    """How many posts this worker has validated so far (its /metrics)."""
    return worker.metrics().get(("streams_messages_total", (("outcome", "ok"), ("stage", "validate"))), 0.0)


def rss_bytes(pid: int) -> int:
    """Resident set size of a process (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


@contextlib.contextmanager
def running(*workers: WorkerProcess, timeout: float = 180.0) -> Iterator[None]:
    """Start workers, wait until each is ready, and stop every one of them afterwards, also on failure."""
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.wait_ready(timeout=timeout)
        yield
    finally:
        for worker in workers:
            worker.stop()
