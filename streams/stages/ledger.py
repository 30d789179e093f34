"""Compare a new claim with the ledger's history for its key and say what is news."""

from __future__ import annotations

import math

from streams.models import Alert, AlertType, Claim, ClaimEvent, LedgerEntry, LedgerOutcome
from streams.stages.alerts import make_alert

# A tally that only grows (a death toll) is contradicted, not updated, by a lower
# figure from a different source.
_CUMULATIVE = frozenset({"killed", "injured", "displaced", "missing", "captured"})

MAX_HISTORY = 500
"""Entries kept per claim key; the oldest restatements go first beyond this."""


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
    """The entry that holds the current figure: the latest one that was not a restatement."""
    for entry in reversed(history):
        if entry.outcome != "restated":
            return entry
    return None


def apply_claim(history: list[LedgerEntry], event: ClaimEvent) -> tuple[list[LedgerEntry], list[Alert]]:
    """Record ``event`` in a claim key's history and return the new history and its alerts.

    Pure and idempotent: the same claim from the same post revision, applied
    twice, changes nothing the second time. History is append-only (a new list
    is returned; ``history`` is not mutated). Restatements are recorded but
    raise no alert.
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
    entry = LedgerEntry(claim=event.claim, post=event.post, outcome=outcome)
    new_history = [*history, entry][-MAX_HISTORY:]
    if outcome == "restated":
        return new_history, []
    alert = make_alert(AlertType(outcome), key=event.key, claim=event.claim, post=event.post, previous=current)
    return new_history, [alert]
