"""tablecodecs and seenwindow: cached table values read and written exactly as a full decode and dump would."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from streams.models import Claim, ClaimEvent, LedgerState, PostRef, Story
from streams.seenwindow import SeenWindow
from streams.stages.ledger import apply_claim
from streams.tablecodecs import LedgerCodec, StoryCodec, decode_ledger, ledger_stamp


def _event(value: float, post_id: str) -> ClaimEvent:
    c = Claim(metric="killed", place="Kursk", value=value, qualifier="exact", source="governor")
    ref = PostRef(source="wire", feed_id="f", post_id=post_id, published_at=datetime(2024, 8, 10, tzinfo=UTC))
    return ClaimEvent(key=c.key, claim=c, post=ref)


def test_ledger_codec_writes_the_states_json_and_reads_it_back():
    codec = LedgerCodec(capacity=3)  # fewer entries than the states hold: the cache drops keys
    stored: dict[bytes, bytes] = {}
    expected: dict[bytes, LedgerState] = {}
    for batch in range(4):
        for key in (b"killed|-|kursk", b"killed|-|sumy"):
            state = codec.read(key, stored.get(key))
            assert state == expected.get(key, LedgerState())
            for i in range(3):  # three claims per batch, the value written once after them
                state, _ = apply_claim(state, _event(10 + batch * 3 + i, f"p{batch}-{i}"))
            expected[key] = state
            stored[key] = codec.write(key, state)
            assert stored[key] == state.model_dump_json().encode()
            assert decode_ledger(bytes(stored[key])) == state  # as a recovery reads it


def test_ledger_codec_decodes_afresh_when_the_stored_value_is_another_object():
    codec = LedgerCodec()
    key = b"k"
    state, _ = apply_claim(codec.read(key, None), _event(5, "p1"))
    written = codec.write(key, state)
    assert codec.read(key, written) is state  # the value it wrote: cached
    copy = bytes(bytearray(written))  # a recovered or deserialised value
    again = codec.read(key, copy)
    assert again == state
    assert again is not state
    codec.forget(key)
    assert codec.read(key, written) is not state


def test_a_former_history_value_is_read_as_its_state():
    state = LedgerState()
    history = []
    for i in range(4):
        state, _ = apply_claim(state, _event(10 + i, f"p{i}"))
        history.append(state.history[-1].model_dump(mode="json"))
    assert decode_ledger(orjson.dumps(history)) == state
    assert decode_ledger(None) == decode_ledger(b"") == LedgerState()


def test_ledger_stamp_reads_when_and_where_without_the_entries():
    when = datetime(2024, 8, 10, 12, tzinfo=UTC)
    state, _ = apply_claim(LedgerState(), _event(5, "p1"), updated_at=when, partition=3)
    assert ledger_stamp(LedgerCodec().write(b"k", state)) == (when, 3)
    assert ledger_stamp(orjson.dumps([state.history[0].model_dump(mode="json")])) == (None, None)


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
