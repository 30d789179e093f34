"""subscriptions: parsing the TOML file and matching alerts (places with their sub-places)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from streams.models import Alert, AlertType, Claim, PostRef, Severity
from streams.stages.subscriptions import InvalidSubscriptions, matching_subscriptions, parse_subscriptions

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "subscriptions.toml"


def alert(**kw: Any) -> Alert:
    claim_fields = {k: kw.pop(k) for k in ("metric", "place", "value") if k in kw}
    claim = Claim(**{"metric": "area_km2", "value": 1000, "actor": "Ukraine", "place": "Kursk", **claim_fields})
    fields: dict[str, Any] = {
        "alert_id": "a1",
        "type": AlertType.NEW_CLAIM,
        "severity": Severity.HIGH,
        "headline": "h",
        "claim_key": claim.key,
        "claim": claim,
        "post": PostRef(source="wire", feed_id="f", post_id="p"),
        "categories": ["territorial"],
    }
    return Alert(**{**fields, **kw})


def test_example_file_parses() -> None:
    subs = parse_subscriptions(EXAMPLE.read_text())
    assert [s.name for s in subs] == ["kursk-front", "tolls", "disputes", "russian-sources"]
    assert subs[3].sides == ("RU",)


CASES: list[tuple[str, str, dict[str, Any], bool]] = [
    ("no filters", "", {}, True),
    ("same place", 'places = ["Kursk"]', {}, True),
    ("town inside the region", 'places = ["Kursk region"]', {"place": "Sudzha"}, True),
    ("town in the country", 'places = ["Russia"]', {"place": "Sudzha"}, True),
    ("town elsewhere", 'places = ["Kharkiv"]', {"place": "Sudzha"}, False),
    ("claim without place", 'places = ["Kursk"]', {"place": None}, False),
    ("metric listed", 'metrics = ["killed", "area_km2"]', {}, True),
    ("metric not listed", 'metrics = ["killed"]', {}, False),
    ("category", 'categories = ["casualties"]', {"categories": ["casualties", "humanitarian"]}, True),
    ("category missing", 'categories = ["casualties"]', {}, False),
    ("severity at the floor", 'min_severity = "medium"', {"severity": Severity.MEDIUM}, True),
    ("severity below", 'min_severity = "high"', {"severity": Severity.LOW}, False),
    ("side by name", 'sides = ["Ukraine"]', {"source_side": "UA"}, True),
    ("side by code", 'sides = ["ru"]', {"source_side": "UA"}, False),
    ("side unknown", 'sides = ["UA"]', {}, False),
    ("type", 'types = ["conflicting_claim"]', {"type": AlertType.CONFLICTING_CLAIM}, True),
    ("all must match", 'places = ["Kursk"]\nmetrics = ["killed"]', {}, False),
]


@pytest.mark.parametrize(("toml", "fields", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_matching(toml: str, fields: dict[str, Any], expected: bool) -> None:
    subs = parse_subscriptions(f"[subscriptions.watch]\n{toml}\n")
    assert matching_subscriptions(alert(**fields), subs) == (["watch"] if expected else [])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[subscriptions.a\n", "not valid TOML"),
        ("[watch]\nplaces = []\n", "unknown top-level key"),
        ("[subscriptions.Bad_Name]\n", "must be lower-case letters"),
        ('[subscriptions.a]\nmetrics = ["acres"]\n', "subscription 'a': metrics.0"),
        ('[subscriptions.a]\ncolour = "red"\n', "subscription 'a': colour"),
        ('[subscriptions.a]\nsides = ["Atlantis"]\n', "not a country code or country name"),
        ('[subscriptions.a]\nmin_severity = "loud"\n', "min_severity"),
    ],
)
def test_broken_files_are_rejected_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(InvalidSubscriptions, match=message):
        parse_subscriptions(text)
