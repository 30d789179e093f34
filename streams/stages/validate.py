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
_MAX_DEPTH = 1024
_JSON_TYPES: dict[type, str] = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


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


def _not_utf8(raw: bytes, exc: UnicodeDecodeError) -> str:
    bad = raw[exc.start : exc.start + 3]
    # ED A0..BF is how CESU-8 / broken encoders write a UTF-16 surrogate half.
    if len(bad) >= 2 and bad[0] == 0xED and 0xA0 <= bad[1] <= 0xBF:
        return f"not UTF-8: a lone surrogate encoded as bytes {bad.hex(' ')} at byte {exc.start}"
    return f"not UTF-8: byte 0x{raw[exc.start]:02x} at byte {exc.start} ({exc.reason})"


def _not_json(text: str, exc: orjson.JSONDecodeError) -> str:
    where = f"at char {exc.pos}"
    rest = text[exc.pos : exc.pos + 9].lstrip("-")
    if rest.startswith(("NaN", "Infinity")):
        return f"not valid JSON: NaN and Infinity are not JSON numbers ({where})"
    reason = str(exc.msg)
    if "depth limit" in reason:
        return f"not valid JSON: nested deeper than {_MAX_DEPTH} levels ({where})"
    if "surrogate" in reason:
        return f"not valid JSON: lone surrogate escape in a string ({where})"
    if "infinity when parsed" in reason:
        return f"not valid JSON: a number too large for a double ({where})"
    return f"not valid JSON: {reason} ({where})"


def _decode(raw: bytes) -> dict[str, object]:
    """Bytes -> JSON object, or :class:`InvalidMessage` saying exactly what is wrong."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidMessage(_not_utf8(raw, exc)) from exc
    try:
        # orjson also rejects lone surrogate escapes, NaN/Infinity and nesting deeper
        # than 1024 (integers beyond 64 bits become floats, which the schema rejects).
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidMessage(_not_json(text, exc)) from exc
    if not isinstance(data, dict):
        msg = f"expected a JSON object, got {_JSON_TYPES.get(type(data), type(data).__name__)}"
        raise InvalidMessage(msg)
    return data


def validate(raw: bytes | None, *, max_bytes: int, now: datetime) -> Post:
    """Decode ``raw`` into a :class:`Post` with normalised text, or raise with the reason.

    Pure: ``now`` is passed in. Unknown fields are accepted and dropped (tolerant
    reader). Text is NFC-normalised with collapsed whitespace.

    Raises:
        InvalidMessage: empty, oversized, not UTF-8, not JSON, not an object, NaN or
            out-of-range numbers, too deeply nested, schema mismatch, or an
            implausible ``published_at``; the message says which and where.
    """
    if not raw:
        msg = "empty message: expected a JSON object"
        raise InvalidMessage(msg)
    if len(raw) > max_bytes:
        msg = f"message is {len(raw)} bytes, over the {max_bytes}-byte limit"
        raise InvalidMessage(msg)
    data = _decode(raw)
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


def validate_record(key: bytes | None, value: bytes | None, *, max_bytes: int, now: datetime) -> Post:
    """Validate a ``posts.raw`` record: :func:`validate` the value, then check its key is the feed id.

    Pure. The key decides the partition, and dedupe state and per-feed order live in
    one partition per feed: a record without a key, or keyed by another feed than
    its ``feed_id`` (a post id reused under another feed), would be deduplicated
    against the wrong state. ``livewire dlq replay`` re-keys such records.

    Raises:
        InvalidMessage: as :func:`validate`, or the key is missing or not the feed id.
    """
    post = validate(value, max_bytes=max_bytes, now=now)
    if key is None:
        msg = f"key: missing; posts.raw records are keyed by feed_id ({post.feed_id!r})"
        raise InvalidMessage(msg)
    if key != post.feed_id.encode():
        shown = key[:80].decode("utf-8", "replace")
        msg = f"key: {shown!r} does not match feed_id {post.feed_id!r} of post {post.post_id!r}"
        raise InvalidMessage(msg)
    return post
