"""Compare a new claim with the ledger's history for its key and say what is news."""

from __future__ import annotations

import math

from streams.models import Alert, AlertType, Claim, ClaimEvent, LedgerEntry, LedgerOutcome
from streams.stages.alerts import make_alert

# A tally that only grows (a death toll) is contradicted, not updated, by a lower
# figure from a different source.
_CUMULATIVE = frozenset({"killed", "injured", "displaced", "missing", "captured"})

MAX_HISTORY = 500
"""Entries kept per claim key; beyond this the oldest go first (and idempotency only spans these)."""

_SILENT: frozenset[LedgerOutcome] = frozenset({"restated", "stale"})


def claim_range(claim: Claim) -> tuple[float, float]:
    """The values a figure allows: exact [v, v], approx ±10%, at_least [v, ∞), at_most [0, v]."""
    v = claim.value
    if claim.qualifier == "approx":
        return (v * 0.9, v * 1.1)
    if claim.qualifier == "at_least":
        return (v, math.inf)
    if claim.qualifier == "at_most":
        return (0.0, v)
    return (v, v)


def _outcome(new: Claim, current: Claim | None) -> LedgerOutcome:
    if current is None:
        return "new_claim"
    lo, hi = claim_range(new)
    cur_lo, cur_hi = claim_range(current)
    if new.value == current.value or (lo <= cur_lo and cur_hi <= hi):
        return "restated"
    if (
        new.metric in _CUMULATIVE
        and hi < cur_lo
        and new.source
        and current.source
        and new.source.casefold() != current.source.casefold()
    ):
        return "conflicting_claim"
    return "claim_update"


def current_entry(history: list[LedgerEntry]) -> LedgerEntry | None:
    """The entry that holds the current figure: the latest one that was neither a restatement nor stale."""
    for entry in reversed(history):
        if entry.outcome not in _SILENT:
            return entry
    return None


def _is_stale(event: ClaimEvent, current: LedgerEntry | None) -> bool:
    """An older report arriving late (by publication time) is history, not a decrease or an update."""
    if current is None:
        return False
    new_time, current_time = event.post.published_at, current.post.published_at
    return new_time is not None and current_time is not None and new_time < current_time


def apply_claim(history: list[LedgerEntry], event: ClaimEvent) -> tuple[list[LedgerEntry], list[Alert]]:
    """Record ``event`` in a claim key's history and return the new history and its alerts.

    Pure and idempotent: the same claim from the same post revision, applied
    twice, changes nothing the second time. History is append-only (a new list
    is returned; ``history`` is not mutated). Restatements, and stale reports
    (published before the current figure's report), are recorded but raise no alert.
    """
    for entry in history:
        if (
            entry.post.feed_id == event.post.feed_id
            and entry.post.post_id == event.post.post_id
            and entry.post.revision == event.post.revision
            and entry.claim == event.claim
        ):
            return history, []
    current = current_entry(history)
    outcome = _outcome(event.claim, current.claim if current else None)
    if outcome != "restated" and _is_stale(event, current):
        outcome = "stale"
    entry = LedgerEntry(claim=event.claim, post=event.post, outcome=outcome)
    new_history = [*history, entry][-MAX_HISTORY:]
    if outcome in _SILENT:
        return new_history, []
    alert = make_alert(AlertType(outcome), key=event.key, claim=event.claim, post=event.post, previous=current)
    return new_history, [alert]
