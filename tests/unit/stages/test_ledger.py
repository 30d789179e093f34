"""ledger.apply_claim and alerts.make_alert: what is news, and what the alert says."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from streams.models import AlertType, Claim, ClaimEvent, LedgerEntry, LedgerState, PostRef, Severity
from streams.stages.alerts import figure_text
from streams.stages.ledger import apply_claim, claim_range


def claim(value: float, qualifier: str = "exact", *, source: str | None = "governor", **kw: Any) -> Claim:
    fields: dict[str, Any] = {"metric": "killed", "place": "Kursk", "value": value, "qualifier": qualifier}
    return Claim(**{**fields, "source": source, **kw})


def event(c: Claim, *, post_id: str = "p1", revision: int = 1) -> ClaimEvent:
    ref = PostRef(
        source="wire", feed_id="f", post_id=post_id, revision=revision, published_at=datetime(2024, 8, 10, tzinfo=UTC)
    )
    return ClaimEvent(key=c.key, claim=c, post=ref)


def replay(*claims: Claim) -> tuple[list[LedgerEntry], list[list[Any]]]:
    state = LedgerState()
    alerts = []
    for i, c in enumerate(claims):
        state, out = apply_claim(state, event(c, post_id=f"p{i}"))
        alerts.append(out)
    return state.history, alerts


CASES: list[tuple[str, list[Claim], str, AlertType | None]] = [
    ("first-claim", [claim(12)], "new_claim", AlertType.NEW_CLAIM),
    ("same-value", [claim(12), claim(12)], "restated", None),
    ("same-value-other-source", [claim(12), claim(12, source="army")], "restated", None),
    ("at-least-covers-approx", [claim(121_000, "approx"), claim(100_000, "at_least")], "restated", None),
    ("approx-covers-exact", [claim(1050), claim(1000, "approx")], "restated", None),
    ("approx-to-higher", [claim(1000, "approx"), claim(1150)], "claim_update", AlertType.CLAIM_UPDATE),
    ("at-least-raised", [claim(5, "at_least"), claim(10, "at_least")], "claim_update", AlertType.CLAIM_UPDATE),
    ("lower-same-source", [claim(20), claim(15)], "claim_update", AlertType.CLAIM_UPDATE),
    (
        "lower-other-source",
        [claim(20), claim(15, source="ministry")],
        "conflicting_claim",
        AlertType.CONFLICTING_CLAIM,
    ),
    (
        "lower-other-source-not-cumulative",
        [claim(20, metric="troops"), claim(15, metric="troops", source="ministry")],
        "claim_update",
        AlertType.CLAIM_UPDATE,
    ),
    ("lower-unknown-source", [claim(20), claim(15, source=None)], "claim_update", AlertType.CLAIM_UPDATE),
]


@pytest.mark.parametrize(("claims", "outcome", "alert_type"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_outcomes(claims: list[Claim], outcome: str, alert_type: AlertType | None) -> None:
    history, alerts = replay(*claims)
    assert len(history) == len(claims)
    assert history[-1].outcome == outcome
    assert history[-1].claim == claims[-1]
    if alert_type is None:
        assert alerts[-1] == []
    else:
        (alert,) = alerts[-1]
        assert alert.type is alert_type
        assert alert.claim == claims[-1]
        assert alert.claim_key == claims[-1].key
        assert alert.previous == (claims[-2] if len(claims) > 1 else None)


def test_restatement_does_not_become_current() -> None:
    # 1000 then a restating "at least 900" then 1050: compared with 1000, not with 900.
    history, alerts = replay(claim(1000), claim(900, "at_least"), claim(1050, "approx"))
    assert [e.outcome for e in history] == ["new_claim", "restated", "restated"]
    assert alerts[1:] == [[], []]


def test_conflict_is_high_severity() -> None:
    _, alerts = replay(claim(20, metric="injured"), claim(15, metric="injured", source="ministry"))
    assert alerts[-1][0].severity is Severity.HIGH


def test_same_claim_same_revision_is_idempotent() -> None:
    c = claim(12)
    state, first = apply_claim(LedgerState(), event(c))
    again, second = apply_claim(state, event(c))
    assert first and second == []
    assert again is state


def test_same_claim_new_revision_is_recorded_as_restated() -> None:
    c = claim(12)
    state, _ = apply_claim(LedgerState(), event(c, revision=1))
    state, alerts = apply_claim(state, event(c, revision=2))
    assert alerts == []
    assert [e.outcome for e in state.history] == ["new_claim", "restated"]


def test_alert_id_is_deterministic_across_replays() -> None:
    claims = (claim(1000, "approx"), claim(1150), claim(900, source="ministry"))
    _, first = replay(*claims)
    _, second = replay(*claims)
    ids = [a.alert_id for out in first for a in out]
    assert ids == [a.alert_id for out in second for a in out]
    assert len(set(ids)) == 3


def test_alert_id_differs_by_post_revision() -> None:
    _, a = apply_claim(LedgerState(), event(claim(12), revision=1))
    _, b = apply_claim(LedgerState(), event(claim(12), revision=2))
    assert a[0].alert_id != b[0].alert_id


def test_headline_contains_figure_and_source() -> None:
    _, alerts = replay(claim(1000, "approx", source="regional governor"), claim(100_000, "at_least", source="UN"))
    first, second = alerts[0][0], alerts[1][0]
    assert first.headline == "New claim: ~1,000 killed in Kursk — regional governor"
    assert "at least 100,000" in second.headline
    assert "— UN" in second.headline
    assert "was ~1,000 on 10 Aug, per regional governor" in second.headline


def test_headline_marks_hedged_and_role() -> None:
    c = claim(7, hedged=True, source="Reuters", source_role="citing officials")
    _, (alert,) = apply_claim(LedgerState(), event(c))
    assert "[unconfirmed]" in alert.headline
    assert alert.headline.endswith("— Reuters, citing officials")
    assert alert.severity is Severity.LOW


def test_state_is_not_mutated() -> None:
    state, _ = apply_claim(LedgerState(), event(claim(10), post_id="p1"))
    state, _ = apply_claim(state, event(claim(20), post_id="p2"))
    snapshot = state.model_copy(deep=True)
    new_state, _ = apply_claim(state, event(claim(30), post_id="p9"))
    assert state == snapshot
    assert len(new_state.history) == 3
    assert new_state.history[:2] == snapshot.history


@pytest.mark.parametrize(
    ("c", "rng", "text"),
    [
        (claim(10), (10, 10), "10"),
        (claim(100, "approx"), (90, 110), "~100"),
        (claim(5, "at_least"), (5, float("inf")), "at least 5"),
        (claim(12, "at_most", metric="depth_km"), (0, 12), "up to 12 km"),
        (claim(1.5, metric="area_km2"), (1.5, 1.5), "1.5 km²"),
        (claim(2_000_000, metric="money_usd"), (2_000_000, 2_000_000), "$2,000,000"),
    ],
)
def test_claim_range_and_figure_text(c: Claim, rng: tuple[float, float], text: str) -> None:
    assert claim_range(c) == pytest.approx(rng)
    assert figure_text(c) == text


def _published(c: Claim, post_id: str, when: str) -> ClaimEvent:
    ref = PostRef(source="wire", feed_id="f", post_id=post_id, published_at=datetime.fromisoformat(when))
    return ClaimEvent(key=c.key, claim=c, post=ref)


def test_older_report_arriving_late_is_stale_not_a_decrease() -> None:
    state, first = apply_claim(LedgerState(), _published(claim(1150), "p2", "2024-08-13T10:00:00+00:00"))
    state, late = apply_claim(state, _published(claim(1000), "p1", "2024-08-12T10:00:00+00:00"))
    assert len(first) == 1
    assert late == []
    assert state.history[-1].outcome == "stale"
    # The stale report never becomes the current figure: a newer 1,150 is a restatement.
    _, again = apply_claim(state, _published(claim(1150), "p3", "2024-08-14T10:00:00+00:00"))
    assert again == []


def test_newer_report_after_stale_one_is_compared_with_the_current_figure() -> None:
    state, _ = apply_claim(LedgerState(), _published(claim(1150), "p2", "2024-08-13T10:00:00+00:00"))
    state, _ = apply_claim(state, _published(claim(900), "p1", "2024-08-12T10:00:00+00:00"))
    _, alerts = apply_claim(state, _published(claim(1300), "p3", "2024-08-14T10:00:00+00:00"))
    assert [a.type for a in alerts] == [AlertType.CLAIM_UPDATE]
    assert alerts[0].previous is not None and alerts[0].previous.value == 1150
