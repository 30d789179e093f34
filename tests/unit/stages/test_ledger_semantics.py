"""Ledger outcomes as scenarios: sides, event time, edited posts, control claims, what alerts carry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from streams.models import Alert, Claim, ClaimEvent, LedgerState, PostRef
from streams.stages.ledger import apply_claim, current_entry, select_histories

T0 = datetime(2024, 8, 12, 9, 0, tzinfo=UTC)
KYIV = "Kyiv's army chief"
MOSCOW = "Russian defence ministry"


def area(value: float, qualifier: str = "exact", *, source: str | None = KYIV, **kw: Any) -> Claim:
    fields: dict[str, Any] = {"metric": "area_km2", "actor": "Ukraine", "place": "Kursk", "qualifier": qualifier}
    return Claim(**{**fields, "value": value, "source": source, **kw})


def control(actor: str, *, source: str | None) -> Claim:
    return Claim(metric="control", value=1, actor=actor, place="Ocheretyne", source=source)


@dataclass(frozen=True)
class Report:
    """One claim as a post at some hour carries it (optionally an edit of an earlier post)."""

    claim: Claim
    hours: float = 0.0
    post: str = ""
    revision: int = 1
    feed: str = "feed-a"

    def event(self, index: int) -> ClaimEvent:
        ref = PostRef(
            source="wire",
            feed_id=self.feed,
            post_id=self.post or f"p{index}",
            revision=self.revision,
            url=f"https://example.org/{self.feed}/{self.post or index}",
            published_at=T0 + timedelta(hours=self.hours),
        )
        return ClaimEvent(key=self.claim.key, claim=self.claim, post=ref, categories=["territorial"])


def play(*reports: Report) -> tuple[LedgerState, list[list[Alert]]]:
    state = LedgerState()
    raised: list[list[Alert]] = []
    for index, report in enumerate(reports):
        before = state
        state, alerts = apply_claim(state, report.event(index))
        if state is not before:  # the history only moves on: earlier entries never change, the new one joins the end
            assert [*before.history, *state.history[-1:]][-len(state.history) :] == state.history
        raised.append(alerts)
    return state, raised


SCENARIOS: list[tuple[str, list[Report], list[str]]] = [
    ("first figure", [Report(area(1000, "approx"))], ["new_claim"]),
    ("a rise", [Report(area(1000, "approx")), Report(area(1150), 24)], ["new_claim", "claim_update"]),
    ("restated by a range around it", [Report(area(1050)), Report(area(1000, "approx"), 2)], ["new_claim", "restated"]),
    (
        "at least restates an exact figure",
        [Report(area(121_000, metric="displaced")), Report(area(100_000, "at_least", metric="displaced"), 3)],
        ["new_claim", "restated"],
    ),
    ("older report arriving late", [Report(area(1150), 24), Report(area(1000), 0)], ["new_claim", "stale"]),
    (
        "other side disagrees at the same time",
        [Report(area(1000)), Report(area(300, source=MOSCOW), 2)],
        ["new_claim", "conflicting_claim"],
    ),
    (
        "other side disagrees upwards too",
        [Report(area(1000)), Report(area(2000, source=MOSCOW), 2)],
        ["new_claim", "conflicting_claim"],
    ),
    (
        "other side's higher toll is an update, not a dispute",
        [Report(area(4, metric="killed", source=KYIV)), Report(area(7, metric="killed", source=MOSCOW), 2)],
        ["new_claim", "claim_update"],
    ),
    (
        "other side's lower toll is a dispute",
        [Report(area(7, metric="killed", source=KYIV)), Report(area(4, metric="killed", source=MOSCOW), 2)],
        ["new_claim", "conflicting_claim"],
    ),
    (
        "other side agrees",
        [Report(area(1050)), Report(area(1000, "approx", source=MOSCOW), 2)],
        ["new_claim", "restated"],
    ),
    (
        "other side days later is an update",
        [Report(area(1000)), Report(area(300, source=MOSCOW), 72)],
        ["new_claim", "claim_update"],
    ),
    (
        "same side, another source, a rise",
        [Report(area(1000)), Report(area(1200, source="Ukraine's president"), 2)],
        ["new_claim", "claim_update"],
    ),
    (
        "a side revising its own figure after a dispute is an update",
        [Report(area(1000)), Report(area(300, source=MOSCOW), 1), Report(area(1150), 2)],
        ["new_claim", "conflicting_claim", "claim_update"],
    ),
    (
        "a side repeating itself after a dispute is a restatement",
        [
            Report(area(1000)),
            Report(area(300, source=MOSCOW), 1),
            Report(area(1000), 2),
            Report(area(300, source=MOSCOW), 3),
        ],
        ["new_claim", "conflicting_claim", "restated", "restated"],
    ),
    (
        "lower toll from another source",
        [Report(area(20, metric="killed", source="health ministry")), Report(area(12, metric="killed", source="army"))],
        ["new_claim", "conflicting_claim"],
    ),
    (
        "fewer missing from another source: people found, not a dispute",
        [Report(area(48, metric="missing", source="police")), Report(area(33, metric="missing", source="ministry"))],
        ["new_claim", "claim_update"],
    ),
    (
        "an edit changes a figure: compared with what stood before the post",
        [Report(area(1000)), Report(area(1510), 5, post="e"), Report(area(1150), 6, post="e", revision=2)],
        ["new_claim", "claim_update", "claim_update"],
    ),
    (
        "an edit that keeps the figure",
        [Report(area(1150), post="e"), Report(area(1150), 1, post="e", revision=2)],
        ["new_claim", "restated"],
    ),
    (
        "an edit taking a figure back to the earlier one is news",
        [Report(area(1000)), Report(area(1510), 5, post="e"), Report(area(1000), 6, post="e", revision=2)],
        ["new_claim", "claim_update", "claim_update"],
    ),
    (
        "an outdated revision delivered after its edit",
        [Report(area(1150), post="e", revision=2), Report(area(1510), post="e", revision=1)],
        ["new_claim", "stale"],
    ),
    (
        "control: the same holder again",
        [Report(control("Russia", source=MOSCOW)), Report(control("Russia", source="Russian army"), 5)],
        ["new_claim", "restated"],
    ),
    (
        "control: the other side denies at the same time",
        [Report(control("Russia", source=MOSCOW)), Report(control("Ukraine", source=KYIV), 3)],
        ["new_claim", "conflicting_claim"],
    ),
    (
        "control: the place changes hands later",
        [Report(control("Russia", source=MOSCOW)), Report(control("Ukraine", source=KYIV), 96)],
        ["new_claim", "claim_update"],
    ),
]


@pytest.mark.parametrize(("reports", "outcomes"), [s[1:] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS])
def test_ledger_outcomes(reports: list[Report], outcomes: list[str]) -> None:
    state, raised = play(*reports)
    history = state.history
    assert [entry.outcome for entry in history] == outcomes
    for outcome, alerts in zip(outcomes, raised, strict=True):
        assert [a.type.value for a in alerts] == ([] if outcome in ("restated", "stale") else [outcome])


def test_update_carries_delta_direction_and_previous_figure() -> None:
    _, raised = play(Report(area(1000, "approx")), Report(area(1150), 30))
    (alert,) = raised[1]
    assert (alert.delta, alert.direction) == (150, "up")
    assert alert.previous is not None and alert.previous.value == 1000
    assert alert.previous_post is not None and alert.previous_post.post_id == "p0"
    _, raised = play(Report(area(1000)), Report(area(900), 30))
    assert (raised[1][0].delta, raised[1][0].direction) == (-100, "down")


def test_headline_names_the_previous_figure_its_date_and_the_source() -> None:
    _, raised = play(
        Report(area(1000, "approx", source="Oleksandr Syrskyi", source_role=KYIV)),
        Report(area(1150, source="Oleksandr Syrskyi", source_role=KYIV), 30),
    )
    assert raised[1][0].headline == (
        "Update: Ukraine controls 1,150 km² of Kursk (was ~1,000 km² on 12 Aug, per Oleksandr Syrskyi)"
        " — Kyiv's army chief Oleksandr Syrskyi"
    )


def test_alert_links_back_to_source_feed_post_and_revision() -> None:
    _, raised = play(Report(area(1000)), Report(area(1510), 5, post="e"), Report(area(1150), 6, post="e", revision=2))
    alert = raised[2][0]
    assert (alert.post.source, alert.post.feed_id, alert.post.post_id, alert.post.revision) == (
        "wire",
        "feed-a",
        "e",
        2,
    )
    assert alert.post.url == "https://example.org/feed-a/e"
    assert alert.supersedes == 1
    assert "[corrects revision 1]" in alert.headline
    # Compared with the figure before the post, not with the revision it replaces.
    assert alert.previous is not None and alert.previous.value == 1000


def test_superseded_revision_is_kept_but_never_current() -> None:
    state, _ = play(Report(area(1000)), Report(area(1510), 5, post="e"), Report(area(1150), 6, post="e", revision=2))
    history = state.history
    assert [e.claim.value for e in history] == [1000, 1510, 1150]
    assert history[2].supersedes == 1
    current = current_entry(state)
    assert current is not None and current.claim.value == 1150
    # Without the edit's own entry, the superseded one still does not come back.
    restated = [*history[:2], history[2].model_copy(update={"outcome": "restated"})]
    assert current_entry(state.model_copy(update={"entries": restated})) == history[0]


def test_conflict_alert_names_both_sides() -> None:
    state, raised = play(Report(area(1000)), Report(area(300, source=MOSCOW), 2))
    assert [e.side for e in state.history] == ["UA", "RU"]
    (alert,) = raised[1]
    assert alert.source_side == "RU"
    assert alert.previous is not None and alert.previous.source == KYIV
    assert alert.severity.value == "high"


def test_control_claims_share_a_key_per_place_and_name_the_previous_holder() -> None:
    russia, ukraine = control("Russia", source=MOSCOW), control("Ukraine", source=KYIV)
    assert russia.key == ukraine.key == "control|-|ocheretyne"
    _, raised = play(Report(russia), Report(ukraine, 96))
    assert raised[0][0].headline == "New claim: Russia takes control of Ocheretyne — Russian defence ministry"
    (update,) = raised[1]
    assert "(was Russia on 12 Aug, per Russian defence ministry)" in update.headline
    assert (update.delta, update.direction) == (None, None)


def test_categories_join_the_posts_and_the_metrics() -> None:
    _, raised = play(Report(area(10, metric="killed", source=None)))
    assert raised[0][0].categories == ["territorial", "casualties"]


def test_replaying_a_whole_story_gives_the_same_alert_ids() -> None:
    story = [r for _, reports, _ in SCENARIOS for r in reports]
    first = [a.alert_id for alerts in play(*story)[1] for a in alerts]
    second = [a.alert_id for alerts in play(*story)[1] for a in alerts]
    assert first == second
    assert len(first) == len(set(first))


def test_select_histories_filters_by_place_with_sub_places_metric_and_actor() -> None:
    area_state, _ = play(Report(area(1000)), Report(area(1150), 30))
    toll = area(12, metric="killed", place="Sudzha", actor=None, source=None)
    toll_state, _ = play(Report(toll))
    far = area(3, metric="killed", place="Kharkiv", actor=None, source=None)
    far_state, _ = play(Report(far))
    ledger = [(c.key, h) for c, h in ((area(0), area_state), (toll, toll_state), (far, far_state))]

    in_kursk = select_histories(ledger, place="Kursk region")
    assert [item.key for item in in_kursk] == sorted([area(0).key, toll.key])
    (kursk_area,) = select_histories(ledger, place="kursk", metric="area_km2", actor="ukraine")
    assert kursk_area.current is not None and kursk_area.current.claim.value == 1150
    assert [e.claim.value for e in kursk_area.history] == [1000, 1150]
    assert kursk_area.recorded == 2
    assert select_histories(ledger, metric="killed", actor="Russia") == []
    assert [item.key for item in select_histories(ledger)] == sorted(key for key, _ in ledger)
