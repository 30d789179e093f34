"""Bad input on a real broker: every kind lands in posts.dlq with its reason and original bytes, interleaved
valid posts come through untouched, the worker keeps running, and `livewire dlq` inspects and replays."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
import zlib
from typing import Any

import orjson
import pytest

from streams.deadletter import headers_dict
from streams.runner import WorkerProcess
from streams.topics import POSTS_DLQ, POSTS_ENRICHED
from tests.reliability.oracle import Collector, Sender, assert_alive, create_topics, raw_topic, worker_env

pytestmark = [pytest.mark.integration, pytest.mark.reliability]

MAX_BYTES = 64 * 1024


def _post(feed: str, post_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "source": "oracle",
        "feed_id": feed,
        "post_id": post_id,
        "title": f"Update {post_id}: 7 people injured in Odesa",
        # A reference number per post: the same words and figures under another id would be a near copy.
        "body": f"Officials said 7 people were injured in Odesa. Ref {post_id}, report {zlib.crc32(post_id.encode())}.",
        **fields,
    }


def _json(feed: str, post_id: str, **fields: Any) -> bytes:
    return orjson.dumps(_post(feed, post_id, **fields))


def _bad_cases(feed: str, run_id: str) -> list[tuple[str, bytes | None, bytes | None, str]]:
    """(kind, key, value, expected reason) for every kind of bad input."""
    good = _json(feed, f"{run_id}-shape")
    return [
        ("invalid-json", b"k1", b'{"title": oops}', "not valid JSON: unexpected character"),
        ("invalid-utf8", b"k2", b'{"title": "caf\xe9"}', "not UTF-8: byte 0xe9 at byte 14"),
        ("lone-surrogate-escape", b"k3", good.replace(b'"title":"', b'"title":"\\ud800'), "lone surrogate escape"),
        ("lone-surrogate-bytes", b"k4", good.replace(b'"title":"', b'"title":"\xed\xa0\x80'), "a lone surrogate"),
        (
            "wrong-type",
            b"k5",
            good.replace(f'"{run_id}-shape"'.encode(), b"42"),
            "post_id: Input should be a valid str",
        ),
        ("missing-field", b"k6", orjson.dumps({"source": "o", "feed_id": feed, "post_id": "m"}), "title: Field req"),
        ("empty-field", b"k7", _json("", f"{run_id}-e"), "feed_id: String should have at least 1 character"),
        ("blank-title", b"k8", _json(feed, f"{run_id}-b", title=" \t "), "title: is empty after whitespace"),
        ("over-limit", b"k9", _json(feed, f"{run_id}-big", body="x" * MAX_BYTES), "over the 65536-byte limit"),
        ("far-over-limit", b"k10", _json(feed, f"{run_id}-huge", body="y" * 900_000), "-byte limit"),
        ("deeply-nested", b"k11", b'{"x": ' + b"[" * 5000 + b"]" * 5000 + b"}", "nested deeper than 1024"),
        ("nan", b"k12", good[:-1] + b',"revision":NaN}', "NaN and Infinity are not JSON numbers"),
        ("infinity", b"k13", good[:-1] + b',"seq":-Infinity}', "NaN and Infinity are not JSON numbers"),
        ("huge-integer", b"k14", good[:-1] + b',"revision":' + b"9" * 40 + b"}", "revision: "),
        ("binary-garbage", b"k15", bytes(range(256)) * 4, "not UTF-8: byte 0x80 at byte 128"),
        ("empty-message", b"k16", b"", "empty message"),
        ("tombstone", b"k17", None, "empty message"),
        ("not-an-object", b"k18", b'["a", "list"]', "expected a JSON object, got an array"),
        ("null-key", None, _json(feed, f"{run_id}-nullkey"), "key: missing"),
        ("post-id-under-other-feed", feed.encode(), _json(f"{feed}-b", f"{run_id}-moved"), "does not match feed_id"),
        ("absurd-published-at", b"k21", _json(feed, f"{run_id}-t", published_at="9999-12-31T23:59:59Z"), "implaus"),
        ("naive-published-at", b"k22", _json(feed, f"{run_id}-n", published_at="2024-08-12T10:00:00"), "timezone"),
    ]


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_bad_input_is_dead_lettered_with_reasons_and_valid_posts_pass(kafka_bootstrap, tmp_path):
    run_id = uuid.uuid4().hex[:8]
    env = worker_env(kafka_bootstrap, run_id, tmp_path / "worker", LIVEWIRE_MAX_MESSAGE_BYTES=str(MAX_BYTES))
    prefix = env["LIVEWIRE_TOPIC_PREFIX"]
    create_topics(kafka_bootstrap, prefix)
    feed = f"feed-{run_id}"
    bad = _bad_cases(feed, run_id)
    messages: list[tuple[bytes | None, bytes, str | None]] = []
    valid: set[str] = set()
    for i, (_, key, value, _) in enumerate(bad):
        post = _post(feed, f"{run_id}-ok-{i:02d}", seq=i)
        messages.append((feed.encode(), orjson.dumps(post), post["post_id"]))
        valid.add(post["post_id"])
        messages.append((key, value, None))  # type: ignore[arg-type]  # None is a tombstone on purpose
    # Accepted, not bad: unknown fields are ignored; an id reused by another feed (keyed right) is another post.
    extra = _post(feed, f"{run_id}-unknown", seq=len(bad), mood="tense", nested={"deep": [1, 2]})
    other_feed = _post(f"{feed}-c", f"{run_id}-ok-00", title="Another feed's own post 00: 9 injured in Sumy")
    for post in (extra, other_feed):
        messages.append((post["feed_id"].encode(), orjson.dumps(post), post["post_id"]))
    collector = Collector(kafka_bootstrap, prefix)
    worker = WorkerProcess(env=env, log_path=tmp_path / "worker.log")
    try:
        worker.start()
        worker.wait_ready(timeout=180)
        sender = Sender(kafka_bootstrap, raw_topic(env), messages).start()
        sender.join()
        alive = assert_alive(worker)
        collector.wait_count(POSTS_DLQ, len(bad), timeout=180, alive=alive)
        collector.wait_count(POSTS_ENRICHED, len(valid) + 2, timeout=180)
        collector.settle(quiet=2.0)
        alive()

        dead = {r.key: r for r in _dlq_records(collector)}
        for kind, key, value, reason in bad:
            record = dead.get(key if key is not None else b"<null>")
            assert record is not None, f"{kind}: not in posts.dlq"
            headers = headers_dict(record.headers)
            assert reason in headers["dlq.error.message"], f"{kind}: {headers['dlq.error.message']!r}"
            assert headers["dlq.stage"] == "validate"
            assert headers["dlq.source.topic"] == raw_topic(env)
            if len(value or b"") <= MAX_BYTES:
                assert record.value == (value or b""), f"{kind}: original bytes changed"
            else:  # far over the limit: the head is kept, and the header says how long it was
                assert value is not None
                assert record.value == value[:MAX_BYTES]
                assert headers["dlq.value.bytes"] == str(len(value))
        assert len(collector.records[POSTS_DLQ]) == len(bad)

        enriched = [orjson.loads(r.value)["post"] for r in collector.records[POSTS_ENRICHED]]
        assert {(p["feed_id"], p["post_id"]) for p in enriched} == {(feed, i) for i in valid} | {
            (feed, extra["post_id"]),
            (other_feed["feed_id"], other_feed["post_id"]),
        }
        in_feed = [p["seq"] for p in enriched if p["feed_id"] == feed]
        assert in_feed == sorted(in_feed)  # the valid posts around the bad ones kept their order

        inspect = _cli(env, "dlq", "inspect", "--idle-timeout", "2")
        lines = inspect.stdout.splitlines()
        assert len(lines) == len(bad)
        assert all("\tvalidate\t" in line for line in lines)
        assert f"{len(bad)} dead letters" in inspect.stderr

        # Replay sends back what validates now: the two good posts that only lacked the right key.
        replay = _cli(env, "dlq", "replay", "--idle-timeout", "2")
        assert f"replayed 2 dead letters to {raw_topic(env)}; {len(bad) - 2} still invalid" in replay.stderr
        replayed = {f"{run_id}-nullkey", f"{run_id}-moved"}
        deadline = time.monotonic() + 120
        while not replayed <= {orjson.loads(r.value)["post"]["post_id"] for r in collector.records[POSTS_ENRICHED]}:
            assert time.monotonic() < deadline, "replayed dead letters were not enriched"
            collector.poll(0.5)
            alive()
    finally:
        worker.stop()
        collector.close()


class _Dead:
    def __init__(self, key: bytes, value: bytes, headers: list[tuple[str, bytes]]) -> None:
        self.key, self.value, self.headers = key, value, headers


def _dlq_records(collector: Collector) -> list[_Dead]:
    """Dead letters with key and headers (the collector keeps values only), read once more from the topic."""
    from streams.kafkaio import read_topic

    name = collector.prefix + POSTS_DLQ
    bootstrap = ",".join(collector.consumer.config["bootstrap_servers"])
    return [
        _Dead(r.key if r.key is not None else b"<null>", r.value or b"", r.headers)
        for r in read_topic(bootstrap, name, from_beginning=True, idle_timeout=2.0)
    ]
