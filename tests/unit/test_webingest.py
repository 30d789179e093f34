"""The pure parts of POST /posts: who may post, and how a body becomes posts or reasons."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest
from pydantic import SecretStr

from streams.webingest import check_access, post_id_text, posts_from_body

NOW = datetime(2026, 1, 1, tzinfo=UTC)
TOKEN = SecretStr("s3cret-token")


@pytest.mark.parametrize("token", [None, SecretStr("")])
def test_check_access_says_ingest_is_disabled_without_a_configured_token(token):
    refusal = check_access("Bearer anything", token)
    assert refusal is not None
    assert refusal.status == 503
    assert "LIVEWIRE_INGEST_TOKEN" in refusal.message


@pytest.mark.parametrize(
    "header", [None, "", "Bearer", "Bearer  ", "Basic s3cret-token", "Bearer s3cret", "s3cret-token"]
)
def test_check_access_refuses_anything_but_the_bearer_token(header):
    refusal = check_access(header, TOKEN)
    assert refusal is not None
    assert refusal.status == 401


@pytest.mark.parametrize("header", ["Bearer s3cret-token", "bearer s3cret-token"])
def test_check_access_lets_the_bearer_token_through(header):
    assert check_access(header, TOKEN) is None


def _post(post_id: str, **fields) -> bytes:
    return orjson.dumps({"source": "w", "feed_id": "f", "post_id": post_id, "title": f"Post {post_id}", **fields})


def test_posts_from_body_reads_one_json_post():
    posts, rejected = posts_from_body(_post("a", revision=3), json_lines=False, max_bytes=4096, now=NOW)
    assert rejected == []
    assert [post_id_text(p) for p in posts] == ["f/a#3"]


def test_posts_from_body_reports_every_bad_line_of_json_lines():
    body = b"\n".join([_post("a"), b"", _post("b", title=" "), b"[1]", _post("c")])
    posts, rejected = posts_from_body(body, json_lines=True, max_bytes=4096, now=NOW)
    assert [p.post_id for p in posts] == ["a", "c"]
    assert [r.where for r in rejected] == ["line 3", "line 4"]


@pytest.mark.parametrize("json_lines", [True, False])
def test_posts_from_body_rejects_an_empty_body(json_lines):
    posts, rejected = posts_from_body(b"  \n", json_lines=json_lines, max_bytes=4096, now=NOW)
    assert posts == []
    assert len(rejected) == 1


def test_posts_from_body_holds_a_single_post_to_the_message_limit():
    posts, rejected = posts_from_body(_post("a", body="x" * 2000), json_lines=False, max_bytes=1024, now=NOW)
    assert posts == []
    assert "1024-byte limit" in rejected[0].reason
