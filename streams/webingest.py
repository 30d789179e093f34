"""``POST /posts``: publishers push posts over HTTP; a request is validated whole, then produced to posts.raw.

A request carries one post (``application/json``) or many (JSON Lines:
``application/x-ndjson`` or ``application/jsonl``) and a bearer token
(``LIVEWIRE_INGEST_TOKEN``). Every post goes through the worker's own
validate stage before anything is produced, so a request is all or
nothing: 400 with every reason, or 202 with the ids of the accepted posts.
Re-posting the same ``(feed_id, post_id, revision)`` is safe: it is answered
202 again and the pipeline's dedupe absorbs it as a re-delivery.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from aiohttp import web
from aiokafka.errors import KafkaError
from pydantic import SecretStr

from streams import topics
from streams.agents import metrics
from streams.app import app, settings
from streams.errors import InvalidMessage
from streams.ingest.posts import Rejected, posts_from_jsonl, raw_record
from streams.metrics import IngestOutcome
from streams.models import Post
from streams.stages.validate import validate

logger = logging.getLogger(__name__)

JSON_LINES_TYPES: Final = frozenset(
    {"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"}
)
JSON_TYPES: Final = frozenset({"application/json", ""})

BODY_LIMIT_FACTOR: Final = 4
"""A request body may hold this many maximal posts (``LIVEWIRE_MAX_MESSAGE_BYTES`` each); bigger backfills
are split by the client or sent with ``livewire ingest``."""

PRODUCE_TIMEOUT_S: Final = 30.0


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused before its body is read: HTTP status, metric outcome, message for the client."""

    status: int
    outcome: IngestOutcome
    message: str


def check_access(authorization: str | None, token: SecretStr | None) -> Refusal | None:
    """Return why a request with this ``Authorization`` header is refused, or None when it may proceed.

    Pure. The token is compared in constant time, so response timing does not
    tell a client how much of a guess was right.
    """
    if token is None or not token.get_secret_value():
        return Refusal(
            503, "disabled", "HTTP ingest is disabled on this worker: set LIVEWIRE_INGEST_TOKEN to enable it"
        )
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.casefold() != "bearer" or not given.strip():
        return Refusal(
            401, "unauthorized", "missing bearer token: send 'Authorization: Bearer <LIVEWIRE_INGEST_TOKEN>'"
        )
    if not hmac.compare_digest(given.strip().encode(), token.get_secret_value().encode()):
        return Refusal(401, "unauthorized", "wrong bearer token")
    return None


def body_limit(max_message_bytes: int) -> int:
    """Largest request body accepted, in bytes."""
    return BODY_LIMIT_FACTOR * max_message_bytes


def posts_from_body(
    body: bytes, *, json_lines: bool, max_bytes: int, now: datetime
) -> tuple[list[Post], list[Rejected]]:
    """Validate a request body as one post (JSON) or many (JSON Lines); return the posts and the rejections.

    Pure: ``now`` is passed in. Each post goes through the worker's validate
    stage, so what is accepted here is what the worker accepts.
    """
    posts: list[Post] = []
    rejected: list[Rejected] = []
    if json_lines:
        for item in posts_from_jsonl(iter(body.splitlines()), max_bytes=max_bytes, now=now):
            if isinstance(item, Post):
                posts.append(item)
            else:
                rejected.append(item)
    else:
        try:
            posts.append(validate(body.strip(), max_bytes=max_bytes, now=now))
        except InvalidMessage as exc:
            rejected.append(Rejected("post", str(exc)))
    if not posts and not rejected:
        rejected.append(Rejected("request", "no posts in the body"))
    return posts, rejected


def post_id_text(post: Post) -> str:
    """The id a client gets back: ``feed_id/post_id#revision``, the same form dedupe reports."""
    return f"{post.feed_id}/{post.post_id}#{post.revision}"


def _error(status: int, outcome: IngestOutcome, message: str, **extra: object) -> web.Response:
    metrics.ingest_requests.labels(outcome=outcome).inc()
    headers = {"WWW-Authenticate": 'Bearer realm="livewire"'} if status == 401 else None
    return web.json_response({"error": message, **extra}, status=status, headers=headers)


async def _read_limited(request: web.Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it grows past ``limit`` (the rest is never buffered)."""
    if request.content_length is not None and request.content_length > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.content.readany():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def ingest_posts(request: web.Request) -> web.Response:
    """Validate the posts of one request and produce them to posts.raw, all or nothing."""
    refusal = check_access(request.headers.get("Authorization"), settings.ingest_token)
    if refusal is not None:
        return _error(refusal.status, refusal.outcome, refusal.message)
    content_type = request.content_type if request.headers.get("Content-Type") else ""
    if content_type not in JSON_TYPES | JSON_LINES_TYPES:
        return _error(
            415,
            "unsupported_type",
            f"unsupported Content-Type {content_type!r}: send application/json or application/x-ndjson",
        )
    limit = body_limit(settings.max_message_bytes)
    body = await _read_limited(request, limit)
    if body is None:
        return _error(413, "too_large", f"request body over the {limit}-byte limit: split it into smaller requests")

    posts, rejected = posts_from_body(
        body, json_lines=content_type in JSON_LINES_TYPES, max_bytes=settings.max_message_bytes, now=datetime.now(UTC)
    )
    if rejected:
        reasons = [{"where": item.where, "reason": item.reason} for item in rejected]
        return _error(400, "invalid", "invalid posts: nothing was produced", rejected=reasons)

    ingested_at = datetime.now(UTC)
    try:
        pending = []
        for post in posts:
            key, value = raw_record(post, ingested_at=ingested_at)
            pending.append(await topics.posts_raw.send(key=key, value=value))
        # 202 promises the broker has the posts, so wait for every acknowledgement.
        await asyncio.wait_for(asyncio.gather(*pending), timeout=PRODUCE_TIMEOUT_S)
    except (KafkaError, TimeoutError) as exc:
        logger.warning("ingest: producing %d posts failed: %r", len(posts), exc)
        return _error(
            503, "broker_error", "the broker did not take the posts; retry the request (re-posting is idempotent)"
        )
    logger.info("ingest: accepted %d posts over HTTP", len(posts))
    metrics.ingest_requests.labels(outcome="accepted").inc()
    metrics.ingest_posts.inc(len(posts))
    return web.json_response({"accepted": [post_id_text(post) for post in posts]}, status=202)


# A plain aiohttp handler on faust's aiohttp application: typed, and it can read the body as a stream.
app.web.web_app.router.add_post("/posts", ingest_posts)  # type: ignore[attr-defined]  # aiohttp driver only
