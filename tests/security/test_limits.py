"""Size limits at the edge: `livewire ingest` refuses what the worker's validate stage would dead-letter."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import orjson
import pytest

from streams.ingest.limits import split_oversized
from streams.kafkaio import read_topic
from streams.models import encode
from tests.conftest import make_post

NOW = datetime(2026, 1, 1, tzinfo=UTC)
LIMIT = 2048


def test_split_oversized_keeps_posts_within_the_limit_and_says_why_it_refuses_the_rest():
    small = make_post(post_id="small")
    big = make_post(post_id="big", body="Officials said. " * 200)
    kept, rejected = split_oversized([small, big], max_bytes=LIMIT, now=NOW)
    assert kept == [small]
    size = len(encode(big.model_copy(update={"ingested_at": NOW})))
    assert [(r.where, r.reason) for r in rejected] == [("post big", f"{size} bytes, over the {LIMIT}-byte limit")]


def test_split_oversized_counts_the_ingest_stamp():
    # A post that fits only without its ingested_at stamp must be refused: the worker sees the stamped bytes.
    post = make_post(body="")
    stamped = len(encode(post.model_copy(update={"ingested_at": NOW})))
    fitting = make_post(body="x" * (LIMIT - stamped))
    over = make_post(body="x" * (LIMIT - stamped + 1))
    kept, rejected = split_oversized([fitting, over], max_bytes=LIMIT, now=NOW)
    assert kept == [fitting]
    assert len(rejected) == 1


@pytest.mark.integration
@pytest.mark.parametrize("kind", ["text", "jsonl"])
def test_ingest_refuses_an_oversized_post_and_sends_the_rest(kafka_bootstrap, kind):
    prefix = f"t{uuid.uuid4().hex[:8]}."
    huge_body = "The shelling went on through the night. " * 100
    if kind == "text":
        data = (
            "Border live: overnight shelling\n\n"
            f"Shelling continues near the border\n\n{huge_body}\n\n"
            "Governor reports damage to a school\n\nThe regional governor said a school roof was damaged.\n"
        ).encode()
    else:
        lines = [
            make_post(post_id="huge", body=huge_body).model_dump_json(),
            make_post(post_id="fine").model_dump_json(),
        ]
        data = "\n".join(lines).encode() + b"\n"
    env = {**os.environ, "LIVEWIRE_BROKER": kafka_bootstrap, "LIVEWIRE_TOPIC_PREFIX": prefix}
    env["LIVEWIRE_MAX_MESSAGE_BYTES"] = str(LIMIT)
    result = subprocess.run(
        [sys.executable, "-m", "streams", "ingest", "-"],
        input=data,
        env=env,
        capture_output=True,
        timeout=120,
        check=True,
    )
    err = result.stderr.decode()
    assert f"over the {LIMIT}-byte limit" in err
    assert "sent 1 posts" in err
    assert "rejected 1" in err
    sent = [
        orjson.loads(r.value or b"")
        for r in read_topic(kafka_bootstrap, prefix + "posts.raw", from_beginning=True, idle_timeout=3.0)
    ]
    assert len(sent) == 1
    assert all(len(orjson.dumps(post)) <= LIMIT and "night" not in post.get("body", "") for post in sent)
