"""POST /posts on a real worker and broker: auth, size limit, validation, all-or-nothing and idempotency."""

from __future__ import annotations

import orjson
import pytest

from streams.webingest import body_limit
from tests.webworker import web_worker

pytestmark = pytest.mark.integration

MAX_MESSAGE_BYTES = 4096


@pytest.fixture(scope="module")
def worker(kafka_bootstrap, tmp_path_factory):
    folder = tmp_path_factory.mktemp("webingest")
    with web_worker(kafka_bootstrap, folder, LIVEWIRE_MAX_MESSAGE_BYTES=str(MAX_MESSAGE_BYTES)) as running:
        yield running


def _post(feed: str, post_id: str, **fields) -> dict:
    # Each id its own figure: posts with the same body and figures are near copies of each other.
    injured = sum(map(ord, post_id)) % 90 + 2
    return {
        "source": "test-wire",
        "feed_id": feed,
        "post_id": post_id,
        "title": f"Update {post_id}: officials report {injured} injured after a storm",
        "body": "The regional governor said several people were injured.",
        **fields,
    }


def _ingest_counts(worker) -> dict[str, float]:
    """``streams_ingest_requests_total`` by outcome, plus ``posts`` for ``streams_ingest_posts_total``."""
    counts = {}
    for (name, labels), value in worker.metrics().items():
        if name == "streams_ingest_requests_total":
            counts[dict(labels)["outcome"]] = value
        elif name == "streams_ingest_posts_total":
            counts["posts"] = value
    return counts


def _lines(*posts: dict | bytes) -> bytes:
    return b"\n".join(p if isinstance(p, bytes) else orjson.dumps(p) for p in posts) + b"\n"


@pytest.mark.parametrize(
    ("token", "reason"),
    [("", "missing bearer token"), ("not-the-token", "wrong bearer token")],
)
def test_ingest_refuses_a_request_without_the_right_token(worker, token, reason):
    before = _ingest_counts(worker)
    status, body, headers = worker.post(orjson.dumps(_post("auth-feed", "p1")), token=token)
    assert status == 401
    assert _ingest_counts(worker)["unauthorized"] == before["unauthorized"] + 1
    assert reason in body["error"]
    assert headers["WWW-Authenticate"].startswith("Bearer")


def test_ingest_refuses_a_body_over_the_limit_and_unknown_content_types(worker):
    limit = body_limit(MAX_MESSAGE_BYTES)
    one = orjson.dumps(_post("size-feed", "p1"))
    status, body, _ = worker.post(_lines(*[one] * (limit // len(one) + 1)), content_type="application/x-ndjson")
    assert status == 413
    assert str(limit) in body["error"]

    status, body, _ = worker.post(one, content_type="text/plain")
    assert status == 415


def test_ingest_rejects_a_batch_with_a_bad_post_and_produces_none_of_it(worker):
    feed = "partial-feed"
    oversized = _post(feed, "big", body="x" * MAX_MESSAGE_BYTES)
    batch = _lines(
        _post(feed, "ok-1"), _post(feed, "no-title", title="  "), b"{not json", oversized, _post(feed, "ok-2")
    )
    status, body, _ = worker.post(batch, content_type="application/x-ndjson")
    assert status == 400
    assert "nothing was produced" in body["error"]
    reasons = {item["where"]: item["reason"] for item in body["rejected"]}
    assert set(reasons) == {"line 2", "line 3", "line 4"}
    assert "title" in reasons["line 2"]
    assert "not valid JSON" in reasons["line 3"]
    assert f"over the {MAX_MESSAGE_BYTES}-byte limit" in reasons["line 4"]

    # A marker on the same feed (same partition, so ordered after anything the bad batch produced).
    status, body, _ = worker.post(orjson.dumps(_post(feed, "marker")))
    assert status == 202
    raw = [orjson.loads(r.value or b"") for r in worker.read("posts.raw", until=10_000, idle_timeout=5.0)]
    assert [p["post_id"] for p in raw if p["feed_id"] == feed] == ["marker"]


def test_ingest_accepts_one_post_or_json_lines_and_absorbs_a_repeat(worker):
    feed = "accept-feed"
    before = _ingest_counts(worker)
    single = orjson.dumps(_post(feed, "a", revision=2))
    status, body, _ = worker.post(single)
    assert (status, body) == (202, {"accepted": [f"{feed}/a#2"]})

    status, body, _ = worker.post(_lines(_post(feed, "b"), _post(feed, "c")), content_type="application/x-ndjson")
    assert (status, body) == (202, {"accepted": [f"{feed}/b#1", f"{feed}/c#1"]})

    status, body, _ = worker.post(single)
    assert (status, body) == (202, {"accepted": [f"{feed}/a#2"]})
    after = _ingest_counts(worker)
    assert (after["accepted"], after["posts"]) == (before["accepted"] + 3, before["posts"] + 4)

    duplicates = [orjson.loads(r.value or b"") for r in worker.read("posts.duplicates", until=1)]
    assert [(d["post"]["post_id"], d["reason"]) for d in duplicates if d["post"]["feed_id"] == feed] == [
        ("a", "redelivery")
    ]
    enriched = worker.read("posts.enriched", until=10_000, idle_timeout=5.0)
    assert sorted(orjson.loads(r.value or b"")["post"]["post_id"] for r in enriched if r.key == feed.encode()) == [
        "a",
        "b",
        "c",
    ]
    raw = [r for r in worker.read("posts.raw", until=10_000, idle_timeout=3.0) if r.key == feed.encode()]
    assert len(raw) == 4
    assert all(orjson.loads(r.value or b"")["ingested_at"] for r in raw)
