"""dedupe after a crash: a replay of the record that wrote an entry passes again; a redelivery does not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from streams.stages.dedupe import Seen, copy_key, decide, fingerprint, post_key
from tests.conftest import make_post

NOW = datetime(2024, 8, 12, 12, 0, tzinfo=UTC)
WINDOW = timedelta(hours=6)
POST = make_post()
FP = fingerprint(POST)
HERE = "posts.raw:2:41"


def recorded_by(origin: str | None) -> Seen:
    """The entries a first pass over POST wrote, by the record at ``origin``."""
    verdict = decide(POST, FP, same_post=None, same_content=None, now=NOW, window=WINDOW, origin=origin)
    return verdict.writes[post_key(POST)]


def test_entries_carry_the_origin_and_round_trip_through_the_table() -> None:
    entry = recorded_by(HERE)
    assert entry.origin == HERE
    assert Seen.from_json(entry.to_json()) == entry


def test_entries_without_origin_read_as_before() -> None:
    entry = recorded_by(None)
    assert "src" not in entry.to_json()
    assert Seen.from_json(entry.to_json()) == entry


def test_replay_of_the_same_record_passes_again() -> None:
    # The worker recorded the post, then died before its outputs and offset commit landed.
    entry = recorded_by(HERE)
    verdict = decide(POST, FP, same_post=entry, same_content=entry, now=NOW, window=WINDOW, origin=HERE)
    assert verdict.passes
    assert verdict.writes[copy_key(FP)] == entry


def test_same_post_in_another_record_is_a_redelivery() -> None:
    entry = recorded_by(HERE)
    verdict = decide(POST, FP, same_post=entry, same_content=entry, now=NOW, window=WINDOW, origin="posts.raw:2:97")
    assert verdict.outcome == "redelivery"
    assert not verdict.passes


def test_an_old_entry_without_origin_still_catches_redeliveries() -> None:
    entry = replace(recorded_by(HERE), origin=None)
    verdict = decide(POST, FP, same_post=entry, same_content=entry, now=NOW, window=WINDOW, origin=HERE)
    assert verdict.outcome == "redelivery"
