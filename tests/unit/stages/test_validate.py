"""validate(): bad bytes become InvalidMessage with a clear reason; good ones a normalised Post."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from streams.errors import InvalidMessage
from streams.models import Post
from streams.stages.validate import validate

NOW = datetime(2024, 8, 12, 12, 0, tzinfo=UTC)
MAX = 64 * 1024

GOOD: dict[str, Any] = {"source": "wire", "feed_id": "f", "post_id": "p", "title": "Shelling in Sumy"}


def raw(**overrides: Any) -> bytes:
    return json.dumps({**GOOD, **overrides}).encode()


def without(field: str) -> bytes:
    return json.dumps({k: v for k, v in GOOD.items() if k != field}).encode()


BAD: list[tuple[str, bytes | None, str]] = [
    ("none", None, "empty message"),
    ("empty", b"", "empty message"),
    ("invalid-json", b"{not json", "not valid JSON"),
    ("truncated", raw()[:-1], "not valid JSON"),
    ("invalid-utf8", b"\xff", "not valid JSON"),
    ("invalid-utf8-in-string", b'{"title": "\xff\xfe"}', "not valid JSON"),
    ("lone-surrogate", b'"\\ud800"', "not valid JSON"),
    ("list", b"[1, 2]", "expected a JSON object, got list"),
    ("string", b'"hello"', "expected a JSON object, got str"),
    ("null", b"null", "expected a JSON object, got NoneType"),
    ("missing-title", without("title"), "title: Field required"),
    ("missing-feed", without("feed_id"), "feed_id: Field required"),
    ("blank-title", raw(title="   "), "title: is empty after whitespace"),
    ("empty-title", raw(title=""), "title: String should have at least 1 character"),
    ("int-post-id", raw(post_id=42), "post_id: Input should be a valid string"),
    ("nan", raw()[:-1] + b', "revision": NaN}', "not valid JSON"),
    ("infinity", raw()[:-1] + b', "revision": Infinity}', "not valid JSON"),
    ("revision-zero", raw(revision=0), "revision: Input should be greater than or equal to 1"),
    # orjson reads integers beyond 64 bits as floats, so the schema rejects them.
    ("huge-int", raw()[:-1] + b', "revision": 1' + b"0" * 40 + b"}", "revision: "),
    ("too-big", raw(body="x" * MAX), "over the 65536-byte limit"),
    ("deeply-nested", b'{"x": ' + b"[" * 2000 + b"]" * 2000 + b"}", "not valid JSON"),
    ("far-future", raw(published_at="2030-01-01T00:00:00Z"), "is implausible"),
    ("ancient", raw(published_at="1970-01-02T00:00:00Z"), "is implausible"),
    ("naive-published-at", raw(published_at="2024-08-12T10:00:00"), "needs a timezone offset"),
    ("bad-date", raw(published_at="yesterday"), "published_at: Input should be a valid datetime"),
]


@pytest.mark.parametrize(("data", "reason"), [(d, r) for _, d, r in BAD], ids=[i for i, _, _ in BAD])
def test_rejects_with_reason(data: bytes | None, reason: str) -> None:
    with pytest.raises(InvalidMessage) as caught:
        validate(data, max_bytes=MAX, now=NOW)
    assert reason in str(caught.value)


def test_accepts_minimal_post() -> None:
    post = validate(raw(), max_bytes=MAX, now=NOW)
    assert post == Post(source="wire", feed_id="f", post_id="p", title="Shelling in Sumy")


def test_unknown_fields_are_accepted_and_dropped() -> None:
    post = validate(raw(extra_field={"nested": [1, 2]}, another=3), max_bytes=MAX, now=NOW)
    assert post.title == "Shelling in Sumy"
    assert "extra_field" not in post.model_dump()


def test_whitespace_is_normalised() -> None:
    body = "  First\u00a0 line \t here \r\n\r\n\r\n\n Second\u3000line  \r"
    post = validate(raw(title="  Strikes \t on\u2009Kharkiv  ", body=body), max_bytes=MAX, now=NOW)
    assert post.title == "Strikes on Kharkiv"
    assert post.body == "First line here\n\nSecond line"


def test_text_is_nfc() -> None:
    post = validate(raw(title="Cafe\u0301 attacked", body="Zaporizhzhia\u0306"), max_bytes=MAX, now=NOW)
    assert post.title == "Caf\u00e9 attacked"
    assert post.body == "Zaporizhzhi\u0103"


def test_published_at_within_skew_and_offset_is_kept() -> None:
    post = validate(raw(published_at="2024-08-13T02:00:00+03:00"), max_bytes=MAX, now=NOW)
    assert post.published_at == datetime(2024, 8, 12, 23, 0, tzinfo=UTC)


def test_exactly_max_bytes_is_accepted() -> None:
    data = raw(body="")
    data = raw(body="x" * (MAX - len(data)))
    assert len(data) == MAX
    assert validate(data, max_bytes=MAX, now=NOW).body == "x" * (MAX - len(raw(body="")))


def check(data: bytes) -> None:
    try:
        result = validate(data, max_bytes=MAX, now=NOW)
    except InvalidMessage:
        return
    assert isinstance(result, Post)


@given(st.binary(max_size=512))
def test_arbitrary_bytes_give_post_or_invalid_message(data: bytes) -> None:
    check(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)
post_like = st.fixed_dictionaries(
    {},
    optional={
        "source": st.text(max_size=5) | json_values,
        "feed_id": st.text(max_size=5) | json_values,
        "post_id": st.text(max_size=5) | json_values,
        "title": st.text(max_size=20) | json_values,
        "body": st.text(max_size=20) | json_values,
        "revision": st.integers() | json_values,
        "seq": st.integers() | json_values,
        "lang": st.text(max_size=5),
        "published_at": st.datetimes(timezones=st.none() | st.timezones()).map(datetime.isoformat)
        | st.integers()
        | json_values,
    },
)


@given(post_like)
def test_arbitrary_post_like_objects_give_post_or_invalid_message(obj: dict[str, Any]) -> None:
    check(json.dumps(obj).encode())
