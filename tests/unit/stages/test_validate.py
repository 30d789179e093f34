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
from streams.stages.validate import validate, validate_record

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
    ("invalid-json", b"{not json", "not valid JSON: unexpected character, expected a string key (at char 1)"),
    ("truncated", raw()[:-1], "not valid JSON"),
    ("invalid-utf8", b"\xff", "not UTF-8: byte 0xff at byte 0 (invalid start byte)"),
    ("invalid-utf8-in-string", b'{"title": "\xff\xfe"}', "not UTF-8: byte 0xff at byte 11"),
    ("binary-garbage", bytes(range(256)), "not UTF-8: byte 0x80 at byte 128"),
    ("control-bytes", b"\x00\x01\x02", "not valid JSON"),
    ("lone-surrogate-escape", raw(title="x")[:-2] + b'\\ud800"}', "lone surrogate escape in a string"),
    ("lone-surrogate-bytes", b'{"title": "\xed\xa0\x80"}', "a lone surrogate encoded as bytes ed a0 80 at byte 11"),
    ("list", b"[1, 2]", "expected a JSON object, got an array"),
    ("string", b'"hello"', "expected a JSON object, got a string"),
    ("number", b"42", "expected a JSON object, got a number"),
    ("null", b"null", "expected a JSON object, got null"),
    ("missing-title", without("title"), "title: Field required"),
    ("missing-feed", without("feed_id"), "feed_id: Field required"),
    ("blank-title", raw(title="   "), "title: is empty after whitespace"),
    ("empty-title", raw(title=""), "title: String should have at least 1 character"),
    ("empty-feed", raw(feed_id=""), "feed_id: String should have at least 1 character"),
    ("int-post-id", raw(post_id=42), "post_id: Input should be a valid string"),
    ("object-title", raw(title={"text": "x"}), "title: Input should be a valid string"),
    ("string-revision", raw(revision="two"), "revision: Input should be a valid integer"),
    ("nan", raw()[:-1] + b', "revision": NaN}', "NaN and Infinity are not JSON numbers (at char"),
    ("infinity", raw()[:-1] + b', "revision": Infinity}', "NaN and Infinity are not JSON numbers"),
    ("minus-infinity", raw()[:-1] + b', "seq": -Infinity}', "NaN and Infinity are not JSON numbers"),
    ("float-overflow", raw()[:-1] + b', "seq": 1e400}', "a number too large for a double"),
    ("revision-zero", raw(revision=0), "revision: Input should be greater than or equal to 1"),
    # orjson reads integers beyond 64 bits as floats or refuses them; the schema names the field.
    ("huge-int", raw()[:-1] + b', "revision": 1' + b"0" * 40 + b"}", "revision: "),
    ("huge-seq", raw()[:-1] + b', "seq": ' + b"9" * 30 + b"}", "seq: "),
    ("too-big", raw(body="x" * MAX), "over the 65536-byte limit"),
    ("deeply-nested", b'{"x": ' + b"[" * 2000 + b"]" * 2000 + b"}", "nested deeper than 1024 levels"),
    ("far-future", raw(published_at="2030-01-01T00:00:00Z"), "is implausible"),
    ("ancient", raw(published_at="1970-01-02T00:00:00Z"), "is implausible"),
    ("year-9999", raw(published_at="9999-12-31T23:59:59Z"), "is implausible"),
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


def test_record_keyed_by_its_feed_is_accepted() -> None:
    assert validate_record(b"f", raw(), max_bytes=MAX, now=NOW).feed_id == "f"


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (None, "key: missing; posts.raw records are keyed by feed_id ('f')"),
        (b"other-feed", "key: 'other-feed' does not match feed_id 'f' of post 'p'"),
        (b"", "key: '' does not match feed_id 'f' of post 'p'"),
    ],
    ids=["null-key", "post-id-reused-under-another-feed", "empty-key"],
)
def test_record_key_must_be_the_feed_id(key: bytes | None, reason: str) -> None:
    with pytest.raises(InvalidMessage) as caught:
        validate_record(key, raw(), max_bytes=MAX, now=NOW)
    assert str(caught.value) == reason


def test_record_value_is_checked_before_its_key() -> None:
    with pytest.raises(InvalidMessage, match="empty message"):
        validate_record(None, b"", max_bytes=MAX, now=NOW)


@given(st.binary(max_size=64) | st.none(), st.binary(max_size=512))
def test_arbitrary_records_give_post_or_invalid_message(key: bytes | None, value: bytes) -> None:
    try:
        post = validate_record(key, value, max_bytes=MAX, now=NOW)
    except InvalidMessage as exc:
        assert str(exc)  # always a reason
        return
    assert key == post.feed_id.encode()


@given(st.text(min_size=1, max_size=40), st.text(max_size=200))
def test_valid_posts_survive_any_text(title: str, body: str) -> None:
    data = raw(title=title, body=body)
    try:
        post = validate(data, max_bytes=MAX, now=NOW)
    except InvalidMessage as exc:
        # The only reason valid JSON of a post with text is refused: nothing left of the title.
        assert "title" in str(exc)
        return
    assert post.title and post.title == post.title.strip()
    assert validate(orjson_dumps(post), max_bytes=MAX, now=NOW) == post  # normalising twice changes nothing


def orjson_dumps(post: Post) -> bytes:
    return post.model_dump_json().encode()
