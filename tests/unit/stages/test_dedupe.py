"""dedupe: content fingerprints and the new / edit / redelivery / exact-copy decision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from streams.models import Post
from streams.stages.dedupe import Seen, copy_key, decide, expired, fingerprint, post_key, post_ref
from tests.conftest import make_post

NOW = datetime(2024, 8, 12, 12, 0, tzinfo=UTC)
WINDOW = timedelta(hours=6)

BASE = make_post(title="Officials report 12 killed in border shelling", body="The governor said so.")


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("OFFICIALS REPORT 12 KILLED IN BORDER SHELLING", "the governor said so"),
        ("  Officials   report\t12 killed\nin border shelling ", "The governor said so."),
        ("Officials report 12 killed, in border shelling!", "The governor... said so?!"),
        ("Officials — report “12” killed in border-shelling", "The governor said so"),
        ("Officials report 12 killed in border shelling", "\nThe   governor said so."),
        ("Ｏｆｆｉｃｉａｌｓ report 12 killed in border shelling", "The governor said so."),
    ],
)
def test_fingerprint_stable_under_case_whitespace_punctuation(title: str, body: str) -> None:
    assert fingerprint(make_post(title=title, body=body)) == fingerprint(BASE)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Officials report 13 killed in border shelling", "The governor said so."),
        ("Officials report killed 12 in border shelling", "The governor said so."),
        ("Officials report 12 killed in border shelling", "The mayor said so."),
    ],
)
def test_fingerprint_changes_with_words(title: str, body: str) -> None:
    assert fingerprint(make_post(title=title, body=body)) != fingerprint(BASE)


def test_fingerprint_ignores_ids_and_is_20_hex_digits() -> None:
    other = make_post(title=BASE.title, body=BASE.body, post_id="other", feed_id="f2", source="s2", revision=7)
    fp = fingerprint(BASE)
    assert fingerprint(other) == fp
    assert len(fp) == 20
    int(fp, 16)


def seen(post: Post, *, at: datetime = NOW - timedelta(minutes=5)) -> Seen:
    return Seen(ref=post_ref(post), revision=post.revision, fingerprint=fingerprint(post), at=at)


def run(post: Post, *, same_post: Seen | None = None, same_content: Seen | None = None):  # type: ignore[no-untyped-def]
    return decide(post, fingerprint(post), same_post=same_post, same_content=same_content, now=NOW, window=WINDOW)


def test_new_post_passes_and_records_both_keys() -> None:
    verdict = run(BASE)
    expected = Seen(ref="feed-1/post-1#1", revision=1, fingerprint=fingerprint(BASE), at=NOW)
    assert verdict.outcome == "new"
    assert verdict.passes
    assert verdict.duplicate_of is None
    assert verdict.writes == {post_key(BASE): expected, copy_key(fingerprint(BASE)): expected}


def test_redelivery_of_same_revision_is_dropped_without_writes() -> None:
    earlier = seen(BASE)
    verdict = run(BASE, same_post=earlier, same_content=earlier)
    assert verdict.outcome == "redelivery"
    assert not verdict.passes
    assert verdict.duplicate_of == "feed-1/post-1#1"
    assert verdict.writes == {}


def test_older_revision_is_a_redelivery() -> None:
    v3 = make_post(revision=3, title="Now 20 killed")
    v2 = make_post(revision=2, title="Now 15 killed")
    verdict = run(v2, same_post=seen(v3))
    assert verdict.outcome == "redelivery"
    assert verdict.duplicate_of == "feed-1/post-1#3"
    assert verdict.writes == {}


def test_higher_revision_is_an_edit() -> None:
    v2 = make_post(revision=2, title="Officials now report 15 killed")
    verdict = run(v2, same_post=seen(BASE), same_content=None)
    assert verdict.outcome == "edit"
    assert verdict.passes
    assert verdict.duplicate_of is None
    assert set(verdict.writes) == {post_key(v2), copy_key(fingerprint(v2))}
    assert verdict.writes[post_key(v2)].revision == 2


def test_edit_with_unchanged_text_is_still_an_edit() -> None:
    v2 = make_post(revision=2)
    verdict = run(v2, same_post=seen(BASE), same_content=seen(BASE))
    assert verdict.outcome == "edit"


def test_exact_copy_under_another_post_id() -> None:
    copy = make_post(post_id="post-2", title=BASE.title.upper(), body=BASE.body)
    verdict = run(copy, same_post=None, same_content=seen(BASE))
    assert verdict.outcome == "exact_copy"
    assert not verdict.passes
    assert verdict.duplicate_of == "feed-1/post-1#1"
    # The copy's post key is recorded (so its redelivery is caught), the content key keeps the original.
    assert set(verdict.writes) == {post_key(copy)}


def test_exact_copy_in_another_feed() -> None:
    copy = make_post(feed_id="feed-2", title=BASE.title, body=BASE.body)
    assert run(copy, same_content=seen(BASE)).outcome == "exact_copy"


@pytest.mark.parametrize("age", [WINDOW + timedelta(seconds=1), timedelta(days=30)])
def test_entries_older_than_window_are_ignored(age: timedelta) -> None:
    old = seen(BASE, at=NOW - age)
    assert run(BASE, same_post=old, same_content=old).outcome == "new"
    copy = make_post(post_id="post-2")
    assert run(copy, same_content=old).outcome == "new"


def test_entry_exactly_at_window_edge_still_counts() -> None:
    edge = seen(BASE, at=NOW - WINDOW)
    assert run(BASE, same_post=edge).outcome == "redelivery"


def test_seen_json_round_trip() -> None:
    entry = seen(BASE)
    assert Seen.from_json(entry.to_json()) == entry


@pytest.mark.parametrize(
    "value",
    [None, "x", 3, [], {}, {"ref": "r", "revision": "one", "fp": "f", "at": NOW.isoformat()}, {"ref": "r"}],
)
def test_unreadable_values_are_none_and_expired(value: object) -> None:
    assert Seen.from_json(value) is None
    assert expired(value, now=NOW, window=WINDOW)


def test_expired() -> None:
    fresh = seen(BASE, at=NOW - timedelta(hours=1)).to_json()
    edge = seen(BASE, at=NOW - WINDOW).to_json()
    stale = seen(BASE, at=NOW - WINDOW - timedelta(seconds=1)).to_json()
    assert not expired(fresh, now=NOW, window=WINDOW)
    assert not expired(edge, now=NOW, window=WINDOW)
    assert expired(stale, now=NOW, window=WINDOW)
