"""The bounded ledger state against the whole history it replaced: the same alerts, byte for byte.

``_full_history`` is the ledger as it was before its state was bounded: each
key kept every entry (without the former ``MAX_HISTORY`` trim, itself a bound)
and each claim scanned them all. It shares the stage's comparison
(``_compare``, ``_restates``, ``make_alert``), so what these tests check is
what the bounded state keeps: the current figures, each side's and source's
latest, each post's latest revision and figure, and the recorded claims' ids.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import chain, islice

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.models import Alert, AlertType, Claim, ClaimEvent, LedgerEntry, LedgerOutcome, LedgerState, PostRef
from streams.stages import ledger
from streams.stages.alerts import make_alert
from streams.stages.ledger import LIMITS, LedgerLimits, apply_claim, current_entry, fold_history, idle_partition
from streams.stages.places import side_of
from tests.unit.stages.ledger_streams import bench_posts, claim_events, devset_posts

UNBOUNDED_RANKS = LedgerLimits(shown=1, ranked=10**9, posts=10**9, claim_ids=10**9)
"""Only the entries a claim can read kept (the view's tail cut to one): must change no outcome."""


def _live(history: list[LedgerEntry]) -> list[LedgerEntry]:
    latest: dict[tuple[str, str], int] = {}
    for e in history:
        post = (e.post.feed_id, e.post.post_id)
        latest[post] = max(latest.get(post, 0), e.post.revision)
    return ledger._live(history, latest)


def _full_history(history: list[LedgerEntry], event: ClaimEvent) -> tuple[list[LedgerEntry], list[Alert]]:
    """The former ledger: ``apply_claim`` over a key's whole history."""
    claim, post = event.claim, event.post
    mine = [e for e in history if ledger._same_post(e.post, post)]
    if any(e.post.revision == post.revision and e.claim == claim for e in mine):
        return history, []
    live = _live(history)
    earlier = [e for e in live if ledger._same_post(e.post, post) and e.post.revision < post.revision]
    replaced = ledger._latest_figure(earlier) or (earlier[-1] if earlier else None)
    side = side_of(claim.source_role, claim.source)
    outcome: LedgerOutcome
    if any(e.post.revision > post.revision for e in mine):
        outcome, previous = "stale", None
    elif replaced is not None and ledger._restates(claim, replaced.claim):
        outcome, previous = "restated", replaced
    else:
        before_post = [e for e in live if not (ledger._same_post(e.post, post) and e.post.revision < post.revision)]
        outcome, previous = ledger._compare(claim, post, side, before_post)
        if outcome in ("restated", "stale") and replaced is not None and replaced.outcome not in ("restated", "stale"):
            outcome, previous = "claim_update", replaced
    supersedes = replaced.post.revision if replaced is not None else None
    entry = LedgerEntry(claim=claim, post=post, outcome=outcome, side=side, supersedes=supersedes)
    if outcome in ("restated", "stale"):
        return [*history, entry], []
    alert = make_alert(
        AlertType(outcome),
        key=event.key,
        claim=claim,
        post=post,
        previous=previous,
        side=side,
        supersedes=supersedes,
        categories=event.categories,
    )
    return [*history, entry], [alert]


def _compare_on(events: list[ClaimEvent], limits: LedgerLimits = LIMITS) -> tuple[int, int]:
    """Play ``events`` through both ledgers, asserting the same alerts and views; (events, alerts) compared."""
    histories: dict[str, list[LedgerEntry]] = {}
    states: dict[str, LedgerState] = {}
    alerts = 0
    for index, event in enumerate(events):
        history, expected = _full_history(histories.get(event.key, []), event)
        state, raised = apply_claim(states.get(event.key, LedgerState()), event, limits=limits)
        got, want = [a.model_dump_json() for a in raised], [a.model_dump_json() for a in expected]
        assert got == want, f"claim {index} ({event.key}, {event.post.post_id} r{event.post.revision})"
        histories[event.key], states[event.key] = history, state
        alerts += len(raised)
    for key, state in states.items():
        history = histories[key]
        assert state.recorded == len(history)
        assert state.history == history[len(history) - min(limits.shown, len(history)) :]
        assert current_entry(state) == ledger._latest_figure(_live(history))
    return len(events), alerts


def test_same_alerts_as_the_whole_history_on_the_devset_and_bench_claims() -> None:
    events = list(claim_events(chain(devset_posts(), bench_posts(1_000))))
    compared, alerts = _compare_on(events)
    assert compared > 2_500
    assert alerts > 1_000  # the bench workload makes real updates and conflicts, not only new claims


_T0 = datetime(2024, 8, 12, tzinfo=UTC)
_SOURCES = [
    None,
    "governor",
    "Kyiv's army chief",
    "Russian defence ministry",
    "health ministry",
    "Gaza's health ministry",
]


@st.composite
def _claim_streams(draw: st.DrawFn) -> list[ClaimEvent]:
    """Claims on one key from a few posts in two feeds: edits, late and outdated revisions, replays, sides."""
    events: list[ClaimEvent] = []
    for _ in range(draw(st.integers(1, 60))):
        if events and draw(st.integers(0, 9)) == 0:
            events.append(draw(st.sampled_from(events)))  # a replay
            continue
        claim = Claim(
            metric=draw(st.sampled_from(["killed", "missing", "area_km2"])),
            place="Kursk",
            value=draw(st.sampled_from([5, 10, 12, 20, 100])),
            qualifier=draw(st.sampled_from(["exact", "approx", "at_least", "at_most"])),
            source=draw(st.sampled_from(_SOURCES)),
        )
        hours = draw(st.none() | st.integers(0, 60))
        post = PostRef(
            source="wire",
            feed_id=draw(st.sampled_from(["f0", "f1"])),
            post_id=f"p{draw(st.integers(0, 9))}",
            revision=draw(st.integers(1, 3)),
            seq=draw(st.integers(0, 20)),
            published_at=None if hours is None else _T0 + timedelta(hours=hours),
        )
        events.append(ClaimEvent(key="killed|-|kursk", claim=claim.model_copy(update={"metric": "killed"}), post=post))
    return events


@settings(max_examples=300, deadline=None)
@given(_claim_streams())
def test_keeping_only_what_a_claim_reads_changes_no_outcome(events: list[ClaimEvent]) -> None:
    _compare_on(events, UNBOUNDED_RANKS)


@settings(max_examples=100, deadline=None)
@given(_claim_streams())
def test_a_history_folds_into_the_state_its_claims_build(events: list[ClaimEvent]) -> None:
    state, history = LedgerState(), []
    for event in events:
        state, _ = apply_claim(state, event)
        history, _ = _full_history(history, event)
    assert fold_history(history) == state


def _busy_key(claims: int) -> list[ClaimEvent]:
    """One key, a new post per claim from one of two sides and several sources, every fifth post edited later."""
    events = []
    for i in range(claims):
        post_id, revision = (f"p{i - 3}", 2) if i % 5 == 4 else (f"p{i}", 1)
        source = _SOURCES[i % len(_SOURCES)]
        claim = Claim(metric="killed", place="Kursk", value=10 + i, source=source, evidence=f"{10 + i} were killed")
        post = PostRef(source="wire", feed_id=f"f{i % 3}", post_id=post_id, revision=revision, seq=i)
        events.append(ClaimEvent(key=claim.key, claim=claim, post=post))
    return events


def test_a_busy_keys_state_stays_bounded() -> None:
    state = LedgerState()
    sizes = []
    for event in _busy_key(3_000):
        state, _ = apply_claim(state, event)
        sizes.append(len(state.entries) + len(state.revisions) + len(state.claim_ids))
    assert state.recorded == 3_000
    assert len(state.history) == LIMITS.shown
    assert len(state.claim_ids) == LIMITS.claim_ids
    # Each post keeps its figure and last entry while recent, plus a few older figures per kind,
    # and up to `slack` entries more between two cuts.
    kinds = 2 + len({side_of(None, source) for source in _SOURCES} - {None})
    assert len(state.entries) <= LIMITS.shown + 2 * LIMITS.posts + LIMITS.ranked * kinds + LIMITS.slack
    assert len(state.revisions) <= LIMITS.posts + len(state.entries)
    assert max(sizes[2_000:]) <= max(sizes[500:1_000])  # it stopped growing long before (values kept, not bytes)


def test_the_bounded_state_matches_the_history_on_a_busy_key_until_its_bounds_bind() -> None:
    _compare_on(list(islice(_busy_key(400), 400)))


def test_a_key_idle_longer_than_the_window_is_forgotten_on_its_partition() -> None:
    window = timedelta(hours=2)
    now = _T0 + timedelta(hours=10)
    assert idle_partition(now - timedelta(hours=3), 2, now=now, window=window) == 2
    assert idle_partition(now - timedelta(hours=1), 2, now=now, window=window) is None
    assert idle_partition(None, 2, now=now, window=window) is None  # a value from before the window: kept
    assert idle_partition(now - timedelta(hours=3), None, now=now, window=window) is None


def test_apply_claim_records_when_and_where_the_key_was_written() -> None:
    (event,) = _busy_key(1)
    state, _ = apply_claim(LedgerState(), event, updated_at=_T0, partition=1)
    assert (state.updated_at, state.partition) == (_T0, 1)
    again, _ = apply_claim(state, _busy_key(2)[1])
    assert (again.updated_at, again.partition) == (_T0, 1)  # not given: kept
