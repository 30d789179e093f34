"""Decode and check raw post bytes: the edge where bad input becomes a clear reason."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

import orjson
from pydantic import ValidationError

from streams.errors import InvalidMessage
from streams.models import Post

# A publisher clock may run a little fast; anything further ahead is a bug upstream.
_MAX_CLOCK_SKEW = timedelta(days=1)
_EARLIEST_POST = datetime.fromisoformat("1990-01-01T00:00:00+00:00")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def _normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors(include_url=False):
        where = ".".join(str(p) for p in item["loc"]) or "post"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def validate(raw: bytes | None, *, max_bytes: int, now: datetime) -> Post:
    """Decode ``raw`` into a :class:`Post` with normalised text, or raise with the reason.

    Pure: ``now`` is passed in. Unknown fields are accepted and dropped (tolerant
    reader). Text is NFC-normalised with collapsed whitespace.

    Raises:
        InvalidMessage: empty, oversized, not UTF-8 JSON, not an object, NaN or
            out-of-range numbers, schema mismatch, or an implausible ``published_at``.
    """
    if not raw:
        msg = "empty message: expected a JSON object"
        raise InvalidMessage(msg)
    if len(raw) > max_bytes:
        msg = f"message is {len(raw)} bytes, over the {max_bytes}-byte limit"
        raise InvalidMessage(msg)
    try:
        # orjson rejects invalid UTF-8, lone surrogates, NaN/Infinity and nesting
        # deeper than 1024 (huge integers become floats, which the schema rejects).
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc}"
        raise InvalidMessage(msg) from exc
    if not isinstance(data, dict):
        msg = f"expected a JSON object, got {type(data).__name__}"
        raise InvalidMessage(msg)
    try:
        post = Post.model_validate(data, strict=False)
    except ValidationError as exc:
        msg = f"schema: {_describe(exc)}"
        raise InvalidMessage(msg) from exc
    if post.published_at is not None:
        if post.published_at.tzinfo is None:
            msg = "published_at: needs a timezone offset (e.g. 2024-08-12T14:05:00Z)"
            raise InvalidMessage(msg)
        if not _EARLIEST_POST <= post.published_at <= now + _MAX_CLOCK_SKEW:
            msg = f"published_at: {post.published_at.isoformat()} is implausible (now is {now.isoformat()})"
            raise InvalidMessage(msg)
    title, body = _normalise_text(post.title), _normalise_text(post.body)
    if not title:
        msg = "title: is empty after whitespace is removed"
        raise InvalidMessage(msg)
    return post.model_copy(update={"title": title, "body": body})
