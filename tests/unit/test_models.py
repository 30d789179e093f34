"""Wire models: encode/decode round trips, schema drift, claim keys."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from streams.models import (
    Alert,
    AlertType,
    CategoryScore,
    Claim,
    ClaimEvent,
    DuplicatePost,
    EnrichedPost,
    Entity,
    Post,
    PostRef,
    Quantity,
    Severity,
    Wire,
    encode,
)
from streams.schemas import SCHEMAS, check, render
from tests.conftest import make_post

REPO = Path(__file__).resolve().parents[2]
WHEN = datetime(2024, 8, 12, 14, 5, tzinfo=UTC)

CLAIM = Claim(metric="killed", value=12, qualifier="at_least", actor=None, place="Kursk", source="governor")
REF = PostRef(source="test-wire", feed_id="feed-1", post_id="post-1", revision=2, published_at=WHEN)
POST = make_post(published_at=WHEN, ingested_at=WHEN, url="https://example.org/1", seq=3, revision=2)

RECORDS: list[Wire] = [
    POST,
    EnrichedPost(
        post=POST,
        fingerprint="ab" * 10,
        categories=[CategoryScore(label="casualties", score=0.9, cues=["killed"])],
        entities=[Entity(text="Kursk", type="PLACE", canonical="Kursk", id="geo:1", lat=51.7, lon=36.2)],
        quantities=[Quantity(text="12 killed", kind="killed", value=12, start=5, end=14)],
        claims=[CLAIM],
    ),
    DuplicatePost(post=POST, fingerprint="cd" * 10, duplicate_of="feed-1/post-0#1", reason="exact_copy"),
    ClaimEvent(key=CLAIM.key, claim=CLAIM, post=REF),
    Alert(
        alert_id="x" * 24,
        type=AlertType.CLAIM_UPDATE,
        severity=Severity.HIGH,
        headline="Update: at least 12 killed in Kursk",
        claim_key=CLAIM.key,
        claim=CLAIM,
        previous=CLAIM.model_copy(update={"value": 5.0}),
        post=REF,
    ),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_round_trip(record: Wire) -> None:
    assert type(record).model_validate_json(encode(record)) == record


def test_encode_writes_rfc3339_datetimes() -> None:
    assert b'"published_at":"2024-08-12T14:05:00Z"' in encode(POST)


def test_readers_ignore_unknown_fields() -> None:
    raw = encode(POST)[:-1] + b',"added_later":1}'
    assert Post.model_validate_json(raw) == POST


def test_models_are_frozen() -> None:
    with pytest.raises(ValueError, match="frozen"):
        POST.title = "changed"  # type: ignore[misc]


def test_schema_files_match_models() -> None:
    assert check(REPO / "schemas") == []


def test_schema_files_cover_every_model() -> None:
    assert sorted(p.stem for p in (REPO / "schemas").glob("*.json")) == sorted(SCHEMAS)


def test_check_reports_missing_and_stale(tmp_path: Path) -> None:
    (tmp_path / "post.v1.json").write_text(render("post.v1"), encoding="utf-8")
    (tmp_path / "alert.v1.json").write_text("{}\n", encoding="utf-8")
    stale = check(tmp_path)
    assert "post.v1.json" not in stale
    assert "alert.v1.json" in stale
    assert "dead-letter.v1.json" in stale


@pytest.mark.parametrize(
    ("claim", "key"),
    [
        (Claim(metric="killed", value=1, actor="Russia", place="Kursk"), "killed|russia|kursk"),
        (Claim(metric="area_km2", value=1, actor="UKRAINE", place="KURSK Oblast"), "area_km2|ukraine|kursk oblast"),
        (Claim(metric="killed", value=1), "killed|-|-"),
        (Claim(metric="killed", value=1, actor="", place="Sumy"), "killed|-|sumy"),
    ],
)
def test_claim_key(claim: Claim, key: str) -> None:
    assert claim.key == key


def test_claim_key_ignores_value_qualifier_and_source() -> None:
    a = Claim(metric="killed", value=1, actor="Russia", place="Kursk", source="a", qualifier="exact")
    b = Claim(metric="killed", value=99, actor="russia", place="kursk", source="b", qualifier="approx")
    assert a.key == b.key
