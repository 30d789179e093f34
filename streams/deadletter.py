"""Dead letters: the original bytes plus ``dlq.*`` headers that say what went wrong."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from streams import topics
from streams.app import settings
from streams.errors import StreamsError

logger = logging.getLogger(__name__)

MAX_REASON_BYTES = 1024


def dead_letter_headers(
    *,
    stage: str,
    topic: str,
    partition: int,
    offset: int,
    error: BaseException,
    failed_at: datetime,
) -> list[tuple[str, bytes]]:
    """Return the headers of a dead letter (Kafka Connect / Spring style). Pure."""
    message = str(error).encode("utf-8", "replace")[:MAX_REASON_BYTES]
    retriable = isinstance(error, StreamsError) and error.retriable
    return [
        ("dlq.stage", stage.encode()),
        ("dlq.source.topic", topic.encode()),
        ("dlq.source.partition", str(partition).encode()),
        ("dlq.source.offset", str(offset).encode()),
        ("dlq.error.class", type(error).__name__.encode()),
        ("dlq.error.message", message),
        ("dlq.retriable", b"true" if retriable else b"false"),
        ("dlq.failed_at", failed_at.isoformat().encode()),
    ]


def headers_dict(headers: Any) -> dict[str, str]:
    """Decode Kafka headers (a list of pairs or a mapping) into ``{name: text}``."""
    pairs = headers.items() if isinstance(headers, dict) else (headers or [])
    return {str(k): (v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)) for k, v in pairs}


def fit_value(value: bytes, *, max_bytes: int) -> tuple[bytes, list[tuple[str, bytes]]]:
    """Return the value a dead letter can carry, and headers saying if it was cut. Pure.

    A record the broker accepted can be far larger than our producer may send (the
    worker's requests are capped at twice ``max_bytes``). Such a record is over the
    size limit anyway, so its first ``max_bytes`` bytes are kept, marked
    ``dlq.value.truncated`` with the original length; refusing to send it instead
    would crash the agent and skip the record without a trace.
    """
    if len(value) <= max_bytes:
        return value, []
    return value[:max_bytes], [("dlq.value.truncated", b"true"), ("dlq.value.bytes", str(len(value)).encode())]


async def send_to_dlq(event: Any, error: BaseException, *, stage: str) -> None:
    """Send the event's original key and value to ``posts.dlq`` with the reason in headers."""
    message = event.message
    headers = dead_letter_headers(
        stage=stage,
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        error=error,
        failed_at=datetime.now(UTC),
    )
    value, cut = fit_value(message.value or b"", max_bytes=settings.max_message_bytes)
    await topics.posts_dlq.send(key=message.key, value=value, headers=headers + cut)
    logger.warning(
        "dead-lettered stage=%s topic=%s partition=%d offset=%d error=%s",
        stage,
        message.topic,
        message.partition,
        message.offset,
        str(error)[:200],
    )
