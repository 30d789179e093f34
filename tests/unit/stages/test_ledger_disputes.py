"""Another source's lower count of ground taken disputes it, as a lower toll does (fifth unseen round)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from streams.models import Claim, ClaimEvent, LedgerState, PostRef
from streams.stages.ledger import apply_claim

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def outcomes(*claims: Claim) -> list[str]:
    state, seen = LedgerState(), []
    for hour, claim in enumerate(claims):
        post = PostRef(source="wire", feed_id="f", post_id=f"p{hour}", published_at=T0 + timedelta(hours=hour))
        state, alerts = apply_claim(state, ClaimEvent(key=claim.key, claim=claim, post=post))
        seen.append(alerts[0].type.value if alerts else "silent")
    return seen


def held(metric: str, value: float, source: str, qualifier: str = "exact") -> Claim:
    return Claim(metric=metric, value=value, qualifier=qualifier, actor="Russia", place="Zaporizhzhia", source=source)


@pytest.mark.parametrize("metric", ["area_km2", "settlements"])
def test_an_analysts_lower_figure_for_ground_taken_is_a_dispute(metric: str) -> None:
    assert outcomes(
        held(metric, 190, "Valery Gerasimov"), held(metric, 80, "Institute for the Study of War", "approx")
    ) == [
        "new_claim",
        "conflicting_claim",
    ]


def test_the_same_source_revising_ground_taken_down_is_an_update() -> None:
    assert outcomes(held("area_km2", 190, "Valery Gerasimov"), held("area_km2", 150, "Gerasimov")) == [
        "new_claim",
        "claim_update",
    ]


def test_a_lower_launch_count_from_a_source_of_no_side_stays_an_update() -> None:
    launched = [
        Claim(metric="drones", value=v, actor="Russia", place="Ukraine", source=s)
        for v, s in ((112, "air force"), (90, "analysts"))
    ]
    assert outcomes(*launched) == ["new_claim", "claim_update"]
