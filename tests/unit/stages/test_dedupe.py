"""dedupe: content fingerprints and the new / edit / redelivery / exact-copy decision."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from streams.models import Post
from streams.stages.dedupe import (
    ANCHORS,
    NEAR_COPY_THRESHOLD,
    Seen,
    Sketch,
    Verdict,
    copy_key,
    decide,
    expired_partition,
    fingerprint,
    judge,
    post_key,
    post_ref,
    resemblance,
    sketch,
)
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
def test_unreadable_values_are_none_and_left_alone(value: object) -> None:
    assert Seen.from_json(value) is None
    # No origin to name its changelog partition: the prune cannot tombstone it.
    assert expired_partition(value, now=NOW, window=WINDOW) is None


def test_expired_only_past_the_window() -> None:
    def written_ago(age: timedelta) -> object:
        return replace(seen(BASE, at=NOW - age), origin="r.posts.raw:2:9").to_json()

    assert expired_partition(written_ago(timedelta(hours=1)), now=NOW, window=WINDOW) is None
    assert expired_partition(written_ago(WINDOW), now=NOW, window=WINDOW) is None
    assert expired_partition(written_ago(WINDOW + timedelta(seconds=1)), now=NOW, window=WINDOW) == 2


@pytest.mark.parametrize(
    ("age", "origin", "partition"),
    [
        (timedelta(hours=1), "r.posts.raw:3:120", None),  # within the window: kept
        (WINDOW + timedelta(seconds=1), "r.posts.raw:3:120", 3),  # expired: tombstone on partition 3
        (WINDOW + timedelta(seconds=1), "posts.raw:0:7", 0),
        (WINDOW + timedelta(seconds=1), None, None),  # no origin: its partition is unknown, left alone
        (WINDOW + timedelta(seconds=1), "garbled", None),
    ],
)
def test_expired_partition_comes_from_the_record_that_wrote_the_entry(
    age: timedelta, origin: str | None, partition: int | None
) -> None:
    value = replace(seen(BASE, at=NOW - age), origin=origin).to_json()
    assert expired_partition(value, now=NOW, window=WINDOW) == partition


# --- near copies ---------------------------------------------------------------------------------

WIRE = make_post(
    feed_id="blog-a",
    post_id="a1",
    title="Wire update: quake toll rises to 85",
    body="The number of people killed in the Karsu earthquake has risen to 85, the disaster agency said, "
    "according to Reuters.\n\nThe agency said 740 people had been injured.",
)
WIRE_REPOSTED = make_post(
    feed_id="blog-b",
    post_id="b7",
    title="Karsu quake: death toll reaches 85",
    body="The number of people killed in the earthquake in Karsu has risen to 85, the country's disaster agency "
    "said, according to Reuters.\n\nThe agency said 740 people had been injured.",
)


def remember(table: dict[str, object], verdict: Verdict) -> None:
    table.update((key, seen.to_json()) for key, seen in verdict.writes.items())


def judged(post: Post, table: dict[str, object], *, at: datetime = NOW) -> Verdict:
    verdict = judge(post, lookup=table.get, now=at, window=WINDOW)
    remember(table, verdict)
    return verdict


def test_wire_update_reposted_in_another_feed_is_a_near_copy() -> None:
    table: dict[str, object] = {}
    assert judged(WIRE, table).outcome == "new"
    verdict = judged(WIRE_REPOSTED, table, at=NOW + timedelta(minutes=20))
    assert verdict.outcome == "near_copy"
    assert not verdict.passes
    assert verdict.duplicate_of == post_ref(WIRE)
    assert verdict.similarity is not None
    assert NEAR_COPY_THRESHOLD <= verdict.similarity < 1.0
    # Only the copy's own key is recorded, so its re-delivery is caught and it is never matched itself.
    assert set(verdict.writes) == {post_key(WIRE_REPOSTED)}


def test_near_copy_is_found_the_other_way_round_too() -> None:
    table: dict[str, object] = {}
    judged(WIRE_REPOSTED, table)
    assert judged(WIRE, table).duplicate_of == post_ref(WIRE_REPOSTED)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("risen to 85", "risen to 97"),  # the next update: a new figure
        ("740 people", "812 people"),
        ("Karsu earthquake", "Malvar earthquake"),  # the same template about another place
    ],
)
def test_same_template_with_another_figure_or_place_is_new(old: str, new: str) -> None:
    table: dict[str, object] = {}
    judged(WIRE, table)
    update = make_post(feed_id="blog-a", post_id="a2", title=WIRE.title, body=WIRE.body.replace(old, new))
    assert judged(update, table).outcome == "new"


def test_near_copy_older_than_the_window_is_new() -> None:
    table: dict[str, object] = {}
    judged(WIRE, table)
    assert judged(WIRE_REPOSTED, table, at=NOW + WINDOW + timedelta(seconds=1)).outcome == "new"


def test_unrelated_post_is_new_and_writes_a_bounded_number_of_keys() -> None:
    table: dict[str, object] = {}
    judged(WIRE, table)
    other = make_post(feed_id="blog-a", post_id="a3", title="Aid convoy reaches Tessa", body="Trucks crossed at dawn.")
    verdict = judged(other, table)
    assert verdict.outcome == "new"
    assert len(verdict.writes) <= 2 + ANCHORS
    assert all(key.startswith(("post|", "fp|", "near|")) for key in verdict.writes)


def test_judge_reads_a_bounded_number_of_keys() -> None:
    table: dict[str, object] = {}
    for i in range(30):
        judged(
            make_post(feed_id="blog-a", post_id=f"p{i}", title=WIRE.title, body=WIRE.body.replace("85", str(i))), table
        )
    reads: list[str] = []

    def lookup(key: str) -> object:
        reads.append(key)
        return table.get(key)

    judge(WIRE_REPOSTED, lookup=lookup, now=NOW, window=WINDOW)
    assert len(reads) <= 2 + 2 * ANCHORS


def test_same_revision_with_new_text_is_an_edit_not_a_redelivery() -> None:
    table: dict[str, object] = {}
    judged(WIRE, table)
    corrected = make_post(feed_id="blog-a", post_id="a1", title=WIRE.title, body=WIRE.body.replace("740", "741"))
    assert judged(corrected, table).outcome == "edit"
    assert judged(corrected, table).outcome == "redelivery"


def test_resemblance_is_word_jaccard_and_symmetric() -> None:
    a = make_post(body="one river two bridges closed today")
    b = make_post(body="river bridges closed today by police")
    sa, sb = sketch(a), sketch(b)
    words_a, words_b = set(a.body.split()), set(b.body.split())
    # Figures ("one", "two") differ, so the gated score is 0; the words alone give their Jaccard.
    assert resemblance(sa, sb) == 0.0
    plain = replace(sa, figures=0, names=frozenset()), replace(sb, figures=0, names=frozenset())
    assert resemblance(*plain) == pytest.approx(len(words_a & words_b) / len(words_a | words_b))
    assert resemblance(*plain) == resemblance(*reversed(plain))


def test_names_one_post_adds_do_not_block_a_copy_but_names_both_change_do() -> None:
    base = sketch(make_post(body="Rescuers said the Kalembe mine was flooded, said Joseph Banda."))
    added = sketch(make_post(body="Rescuers said the Kalembe mine in Zambia was flooded, said Joseph Banda."))
    swapped = sketch(make_post(body="Rescuers said the Tumba mine was flooded, said Joseph Banda."))
    assert resemblance(base, added) >= NEAR_COPY_THRESHOLD
    assert resemblance(base, swapped) == 0.0


def test_sketch_and_seen_json_round_trip() -> None:
    s = sketch(WIRE)
    assert Sketch.from_json(s.to_json()) == s
    entry = Seen(ref="a/1#1", revision=1, fingerprint="f", at=NOW, sketch=s, entry="post|a|1")
    assert Seen.from_json(entry.to_json()) == entry


@pytest.mark.parametrize("value", [None, "x", {}, {"w": "123", "n": "", "f": "0"}, {"w": "zz" * 4, "n": "", "f": "0"}])
def test_unreadable_sketch_is_none(value: object) -> None:
    assert Sketch.from_json(value) is None


def test_replay_of_the_record_that_wrote_the_entry_passes_again_other_offsets_do_not() -> None:
    table: dict[str, object] = {}
    first = judge(WIRE, lookup=table.get, now=NOW, window=WINDOW, origin="posts.raw:0:41")
    remember(table, first)
    replay = judge(WIRE, lookup=table.get, now=NOW, window=WINDOW, origin="posts.raw:0:41")
    assert replay.outcome == "new"
    assert judge(WIRE, lookup=table.get, now=NOW, window=WINDOW, origin="posts.raw:0:97").outcome == "redelivery"
    assert Seen.from_json(table[post_key(WIRE)]) == first.writes[post_key(WIRE)]
