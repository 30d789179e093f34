"""tablecodecs and seenwindow: cached table values read and written exactly as a full decode and dump would."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from streams.models import Claim, ClaimEvent, LedgerEntry, PostRef, Story
from streams.seenwindow import SeenWindow
from streams.stages import ledger
from streams.stages.ledger import apply_claim
from streams.tablecodecs import LedgerCodec, StoryCodec


def _event(value: float, post_id: str) -> ClaimEvent:
    c = Claim(metric="killed", place="Kursk", value=value, qualifier="exact", source="governor")
    ref = PostRef(source="wire", feed_id="f", post_id=post_id, published_at=datetime(2024, 8, 10, tzinfo=UTC))
    return ClaimEvent(key=c.key, claim=c, post=ref)


def _full_dump(history: list[LedgerEntry]) -> list[dict[str, object]]:
    return [entry.model_dump(mode="json") for entry in history]


def test_ledger_codec_writes_what_a_full_dump_writes_across_batches_and_the_history_bound(monkeypatch):
    monkeypatch.setattr(ledger, "MAX_HISTORY", 5)
    codec = LedgerCodec(capacity=3)  # fewer entries than the history holds
    key = b"killed|-|kursk"
    stored: list[dict[str, object]] = []
    expected: list[LedgerEntry] = []
    for batch in range(4):
        pending = codec.read(key, stored)
        assert pending.history == expected
        for i in range(3):  # three claims per batch, the value written once after them
            event = _event(10 + batch * 3 + i, f"p{batch}-{i}")
            new_history, _ = apply_claim(pending.history, event)
            pending.advance(new_history)
            expected, _ = apply_claim(expected, event)
        stored = orjson.loads(orjson.dumps(codec.write(key, pending)))  # as the changelog would carry it
        assert stored == _full_dump(expected)
        assert len(stored) == min(5, 3 * (batch + 1))


def test_ledger_codec_decodes_afresh_when_the_stored_value_is_another_object():
    codec = LedgerCodec()
    key = b"k"
    pending = codec.read(key, [])
    pending.advance(apply_claim(pending.history, _event(5, "p1"))[0])
    written = codec.write(key, pending)
    assert codec.read(key, written).history is pending.history  # the value it wrote: cached
    copy = orjson.loads(orjson.dumps(written))  # a recovered or deserialised value
    again = codec.read(key, copy).history
    assert again == pending.history
    assert again is not pending.history


def test_a_redelivered_claim_leaves_the_pending_history_unchanged():
    codec = LedgerCodec()
    pending = codec.read(b"k", [])
    event = _event(5, "p1")
    pending.advance(apply_claim(pending.history, event)[0])
    pending.advance(apply_claim(pending.history, event)[0])  # idempotent: the same list comes back
    assert len(pending.appended) == 1


def test_story_codec_round_trips_and_treats_an_empty_value_as_no_story():
    codec = StoryCodec(capacity=1)
    story = Story(feed_id="f", posts=3)
    stored = codec.write("f", story)
    assert codec.read("f", stored) is story
    assert codec.read("f", dict(stored)) == story
    assert codec.read("g", None) is None
    assert codec.read("g", {}) is None


def test_seen_window_returns_each_partitions_oldest_keys_beyond_its_share():
    window = SeenWindow(max_entries=8, partitions=2)  # four keys per partition
    window.note(0, ["a", "b", "c"])
    window.note(1, ["x"])
    assert window.overflow(0) == []
    window.note(0, ["a", "d", "e"])  # "a" rewritten: now the newest
    assert window.overflow(0) == ["b"]
    assert window.overflow(1) == []
    window.note(0, ["f", "g"])
    assert window.overflow(0) == ["c", "a"]
    assert window.overflow(7) == []
