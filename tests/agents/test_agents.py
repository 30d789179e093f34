"""Agents under faust's test_context: what they send, to which topic, with which key and headers."""

from __future__ import annotations

from unittest.mock import AsyncMock, MagicMock, patch

import orjson
import pytest

from streams import agents, topics
from streams.app import app
from streams.deadletter import headers_dict
from streams.models import encode
from tests.conftest import make_post


@pytest.fixture
def sends():
    """Every outbound send mocked; table changelog writes mocked too (no broker here)."""
    names = ["posts_enriched", "posts_duplicates", "posts_dlq", "claims_events", "alerts"]
    mocks = {name: AsyncMock() for name in names}
    patches = [patch.object(getattr(topics, name), "send", mock) for name, mock in mocks.items()]
    for table in (topics.posts_seen, topics.claims_ledger):
        changelog_future = MagicMock()
        changelog_future.message.partition = 0
        patches.append(patch.object(table, "send_changelog", MagicMock(return_value=changelog_future)))
    app.flow_control.resume()
    for p in patches:
        p.start()
    yield mocks
    for p in reversed(patches):
        p.stop()


async def test_process_posts_sends_enriched_post_and_claims_keyed_by_feed_and_claim(sends):
    post = make_post(feed_id="feed-a", post_id="p1")
    async with agents.process_posts.test_context() as agent:
        await agent.put(encode(post), key=b"feed-a")
    sends["posts_enriched"].assert_awaited_once()
    call = sends["posts_enriched"].await_args
    assert call.kwargs["key"] == b"feed-a"
    assert orjson.loads(call.kwargs["value"])["post"]["post_id"] == "p1"
    claim_keys = [c.kwargs["key"] for c in sends["claims_events"].await_args_list]
    assert claim_keys, "a post about 12 killed makes at least one claim"
    for c in sends["claims_events"].await_args_list:
        assert c.kwargs["key"] == orjson.loads(c.kwargs["value"])["key"].encode()
    sends["posts_dlq"].assert_not_awaited()


async def test_process_posts_dead_letters_malformed_bytes_with_reason(sends):
    async with agents.process_posts.test_context() as agent:
        await agent.put(b"{broken", key=b"feed-a")
    sends["posts_dlq"].assert_awaited_once()
    call = sends["posts_dlq"].await_args
    assert call.kwargs["value"] == b"{broken"
    headers = headers_dict(call.kwargs["headers"])
    assert headers["dlq.stage"] == "validate"
    assert "not valid JSON" in headers["dlq.error.message"]
    sends["posts_enriched"].assert_not_awaited()


async def test_process_posts_sends_redelivery_to_duplicates(sends):
    # Its own body: the same body under another headline would be a near copy of the first test's post.
    post = make_post(
        feed_id="feed-b",
        post_id="p2",
        title="Flood waters rise in the river valley",
        body="The river rose two metres overnight, the water agency said.",
    )
    async with agents.process_posts.test_context() as agent:
        await agent.put(encode(post), key=b"feed-b")
        await agent.put(encode(post), key=b"feed-b")
    assert sends["posts_enriched"].await_count == 1
    sends["posts_duplicates"].assert_awaited_once()
    duplicate = orjson.loads(sends["posts_duplicates"].await_args.kwargs["value"])
    assert duplicate["reason"] == "redelivery"


async def test_process_posts_sends_a_wire_copy_from_another_feed_to_duplicates(sends):
    wire = "Rescuers say 14 miners are trapped at the Kalembe copper mine after a tunnel collapsed, the company said."
    original = make_post(feed_id="feed-c", post_id="c1", title="Miners trapped at Kalembe", body=wire)
    copy = make_post(
        feed_id="feed-d", post_id="d1", title="Kalembe: 14 trapped", body=wire.replace("the company", "the mine owner")
    )
    async with agents.process_posts.test_context() as agent:
        await agent.put(encode(original), key=b"feed-c")
        await agent.put(encode(copy), key=b"feed-d")
    assert sends["posts_enriched"].await_count == 1
    sends["posts_duplicates"].assert_awaited_once()
    duplicate = orjson.loads(sends["posts_duplicates"].await_args.kwargs["value"])
    assert duplicate["reason"] == "near_copy"
    assert duplicate["duplicate_of"] == "feed-c/c1#1"
