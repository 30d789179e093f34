"""Compare a new claim with the ledger's history for its key and say what is news.

Outcomes, for a claim event against the history of its key (metric, actor, place):

- ``new_claim``: nothing live on record for the key.
- ``restated``: the new figure's range contains the current one ("more than
  100,000 fled" after "121,000 fled"); recorded, no alert.
- ``stale``: an older report (by event time) arriving after a newer one, or an
  outdated revision of a post; recorded, no alert, never becomes current.
- ``conflicting_claim``: a source from another side disagrees with the current
  figure at about the same time (for a toll that only grows: reports it
  lower), or another source gives a lower count of such a toll.
- ``claim_update``: any other change, with its delta and direction.

A source's side is the country it speaks for (``places.side_of``). Once the
sides disagree, each side's next figure is compared with that side's own last
one, so a side revising its own toll is an update, not a new conflict. An
edited post (same feed and post id, higher revision) supersedes its earlier
revision's figure: the edit is compared with what stood before the post, and
the replaced entry no longer counts. History is append-only; supersession is
read from it, never written into old entries.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Final

from streams.models import Alert, AlertType, Claim, ClaimEvent, ClaimHistory, LedgerEntry, LedgerOutcome, PostRef
from streams.stages.alerts import make_alert
from streams.stages.places import side_of, within

# A tally that only grows (a death toll) is contradicted, not updated, by a lower
# figure from a different source. The missing are not one: they fall as people
# are found, alive or dead ("48 missing" then "33 missing" is news, not a dispute).
_CUMULATIVE: Final = frozenset({"killed", "injured", "displaced", "captured"})

MAX_HISTORY: Final = 500
"""Entries kept per claim key; beyond this the oldest go first (and idempotency only spans these)."""

CONFLICT_WINDOW: Final = timedelta(hours=24)
"""Two sides' figures this close in event time are one dispute; further apart, the later one is an update."""

_SILENT: Final[frozenset[LedgerOutcome]] = frozenset({"restated", "stale"})


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


def _same_name(a: str | None, b: str | None) -> bool:
    return (a or "").casefold() == (b or "").casefold()


_NAME_WORD: Final = re.compile(r"[\w-]+?(?=['’]s\b|\b)")


def _name_words(name: str) -> frozenset[str]:
    return frozenset(_NAME_WORD.findall(name.casefold())) - {"s", "the"}


def _same_source(a: str | None, b: str | None) -> bool:
    """One speaker named two ways: "Prokudin" and "Oleksandr Prokudin", "health ministry" and "Gaza's health ministry".

    A shorter form matches a longer one that holds all its words, as the
    scorer reads names; a revision by the same speaker is an update, not a
    dispute between sources.
    """
    if _same_name(a, b):
        return True
    words_a, words_b = _name_words(a or ""), _name_words(b or "")
    return bool(words_a and words_b) and (words_a <= words_b or words_b <= words_a)


def _restates(new: Claim, old: Claim) -> bool:
    """The new figure adds nothing: same holder of a place, same value, or a range containing the old one."""
    if new.metric == "control":
        return _same_name(new.actor, old.actor)
    lo, hi = claim_range(new)
    old_lo, old_hi = claim_range(old)
    return new.value == old.value or (lo <= old_lo and old_hi <= hi)


def _disagrees(new: Claim, old: Claim) -> bool:
    """The two figures cannot both be true: another holder of a place, or ranges that do not overlap."""
    if new.metric == "control":
        return not _same_name(new.actor, old.actor)
    lo, hi = claim_range(new)
    old_lo, old_hi = claim_range(old)
    return hi < old_lo or old_hi < lo


def _grows(claim: Claim, current: LedgerEntry) -> bool:
    """A toll that only grows, reported higher: more bodies found, whoever counts them, is not a dispute."""
    return claim.metric in _CUMULATIVE and claim_range(claim)[0] > claim_range(current.claim)[1]


def _earlier(a: PostRef, b: PostRef) -> bool:
    """``a`` was reported before ``b`` by event time: publication time, else position in the same feed."""
    if a.published_at is not None and b.published_at is not None:
        return a.published_at < b.published_at
    return a.feed_id == b.feed_id and a.seq is not None and b.seq is not None and a.seq < b.seq


def _about_same_time(a: PostRef, b: PostRef) -> bool:
    if a.published_at is None or b.published_at is None:
        return True  # a replayed blog without times: its posts are one news cycle
    return abs(a.published_at - b.published_at) <= CONFLICT_WINDOW


def _same_post(a: PostRef, b: PostRef) -> bool:
    return a.feed_id == b.feed_id and a.post_id == b.post_id


def _live(history: list[LedgerEntry]) -> list[LedgerEntry]:
    """Entries still in force: an entry from an older revision of a post that was edited since is not."""
    latest: dict[tuple[str, str], int] = {}
    for entry in history:
        post = (entry.post.feed_id, entry.post.post_id)
        latest[post] = max(latest.get(post, 0), entry.post.revision)
    return [e for e in history if e.post.revision >= latest[(e.post.feed_id, e.post.post_id)]]


def _latest_figure(entries: list[LedgerEntry]) -> LedgerEntry | None:
    for entry in reversed(entries):
        if entry.outcome not in _SILENT:
            return entry
    return None


def current_entry(history: list[LedgerEntry]) -> LedgerEntry | None:
    """The entry that holds the current figure: the latest live one that was neither a restatement nor stale."""
    return _latest_figure(_live(history))


def _compare(
    claim: Claim, post: PostRef, side: str | None, live: list[LedgerEntry]
) -> tuple[LedgerOutcome, LedgerEntry | None]:
    """The outcome of a claim against the live history, and the entry it was compared with."""
    current = _latest_figure(live)
    if current is None:
        return "new_claim", None
    reference = current
    if side and current.side and current.side != side:
        own = _latest_figure([e for e in live if e.side == side])
        if own is None:
            # This side's first word on the key, against the other side's figure.
            if _restates(claim, current.claim):
                return "restated", current
            if _disagrees(claim, current.claim) and _about_same_time(post, current.post) and not _grows(claim, current):
                return "conflicting_claim", current
            return ("stale" if _earlier(post, current.post) else "claim_update"), current
        reference = own
    if _restates(claim, reference.claim):
        return "restated", reference
    if _earlier(post, reference.post):
        return "stale", reference
    # A figure the post asserts with no one named ("the toll rose to nine") carries on the
    # key's last named source: another source's lower count of the toll still disputes it.
    standing = reference.claim.source or next((e.claim.source for e in reversed(live) if e.claim.source), None)
    if (
        claim.metric in _CUMULATIVE
        and claim_range(claim)[1] < claim_range(reference.claim)[0]
        and claim.source
        and standing
        and not _same_source(claim.source, standing)
    ):
        return "conflicting_claim", reference
    return "claim_update", reference


def _recorded(history: list[LedgerEntry], event: ClaimEvent) -> bool:
    return any(
        _same_post(entry.post, event.post) and entry.post.revision == event.post.revision and entry.claim == event.claim
        for entry in history
    )


def apply_claim(history: list[LedgerEntry], event: ClaimEvent) -> tuple[list[LedgerEntry], list[Alert]]:
    """Record ``event`` in a claim key's history and return the new history and its alerts.

    Pure and idempotent: the same claim from the same post revision, applied
    twice, changes nothing the second time. History is append-only (a new list
    is returned; ``history`` is not mutated). Restatements and stale reports are
    recorded but raise no alert.
    """
    if _recorded(history, event):
        return history, []
    claim, post = event.claim, event.post
    side = side_of(claim.source_role, claim.source)
    live = _live(history)
    earlier_revisions = [e for e in live if _same_post(e.post, post) and e.post.revision < post.revision]
    replaced = _latest_figure(earlier_revisions) or (earlier_revisions[-1] if earlier_revisions else None)
    outcome: LedgerOutcome
    previous: LedgerEntry | None
    if any(_same_post(e.post, post) and e.post.revision > post.revision for e in history):
        outcome, previous = "stale", None  # an outdated revision delivered after its edit
    elif replaced is not None and _restates(claim, replaced.claim):
        outcome, previous = "restated", replaced  # the edit left this figure alone
    else:
        before_post = [e for e in live if not (_same_post(e.post, post) and e.post.revision < post.revision)]
        outcome, previous = _compare(claim, post, side, before_post)
        if outcome in _SILENT and replaced is not None and replaced.outcome not in _SILENT:
            # Subscribers were told the replaced figure: the edit that takes it back is news.
            outcome, previous = "claim_update", replaced
    entry = LedgerEntry(
        claim=claim,
        post=post,
        outcome=outcome,
        side=side,
        supersedes=replaced.post.revision if replaced is not None else None,
    )
    new_history = [*history, entry][-MAX_HISTORY:]
    if outcome in _SILENT:
        return new_history, []
    alert = make_alert(
        AlertType(outcome),
        key=event.key,
        claim=claim,
        post=post,
        previous=previous,
        side=side,
        supersedes=entry.supersedes,
        categories=event.categories,
    )
    return new_history, [alert]


def select_histories(
    ledger: Iterable[tuple[str, list[LedgerEntry]]],
    *,
    place: str | None = None,
    metric: str | None = None,
    actor: str | None = None,
) -> list[ClaimHistory]:
    """The ledger's keys that match every filter given, each with its current figure and history, by key.

    ``place`` matches a claim's place or anywhere inside it (a town inside a
    region); ``metric`` and ``actor`` match exactly, ignoring case.
    """
    selected = []
    for key, history in ledger:
        if not history:
            continue
        claim = history[-1].claim
        if metric and claim.metric != metric.strip().casefold():
            continue
        if actor and not _same_name(claim.actor, actor.strip()):
            continue
        if place and not (claim.place and within(claim.place, place)):
            continue
        selected.append(ClaimHistory(key=key, current=current_entry(history), history=history))
    return sorted(selected, key=lambda item: item.key)
