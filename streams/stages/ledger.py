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
the replaced entry no longer counts. Entries are never rewritten; supersession
is read from each post's latest revision.

What a key keeps (:class:`~streams.models.LedgerState`) is bounded, so each
claim costs the same however busy its key: not the whole history but the
entries a later claim can still be compared with (see :func:`_in_force`),
the latest few for the ``/claims`` view, recent posts' latest revisions and
recent claims' ids (a replay changes nothing). The bounds are
:class:`LedgerLimits`; while a key stays within them, its outcomes are those
of the full history.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

import orjson

from streams.models import (
    Alert,
    AlertType,
    Claim,
    ClaimEvent,
    ClaimHistory,
    LedgerEntry,
    LedgerOutcome,
    LedgerState,
    PostRef,
)
from streams.stages.alerts import make_alert
from streams.stages.places import side_of, within

# A tally that only grows (a death toll) is contradicted, not updated, by a lower
# figure from a different source. The missing are not one: they fall as people
# are found, alive or dead ("48 missing" then "33 missing" is news, not a dispute).
_CUMULATIVE: Final = frozenset({"killed", "injured", "displaced", "captured"})
# Ground held is not a toll (it can shrink, and the other side's higher figure is still a dispute),
# but another source's lower count of it, at the same time, disputes the claim just as a lower toll
# does ("analysts say Russia took about 80 sq km this month" after Moscow's "190 sq km").
_DISPUTED_WHEN_LOWER: Final = _CUMULATIVE | {"area_km2", "settlements"}


@dataclass(frozen=True)
class LedgerLimits:
    """How much of a claim key's past the ledger keeps: what bounds its memory and each claim's cost."""

    shown: int = 10
    """Latest entries kept whatever their standing: the history the ``/claims`` view shows."""
    ranked: int = 4
    """Posts kept per kind of figure a claim is compared with (current, each side's, latest named source)."""
    posts: int = 32
    """Most recent posts whose latest revision and figure are kept, so an edit supersedes its own figure."""
    slack: int = 16
    """Claims recorded between two cuts back to what can still be read (so up to this many more entries)."""
    claim_ids: int = 128
    """Latest recorded claims remembered, so a replay of one changes nothing."""


LIMITS: Final = LedgerLimits()

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
        return _same_name(new.actor_key, old.actor_key)
    lo, hi = claim_range(new)
    old_lo, old_hi = claim_range(old)
    return new.value == old.value or (lo <= old_lo and old_hi <= hi)


def _disagrees(new: Claim, old: Claim) -> bool:
    """The two figures cannot both be true: another holder of a place, or ranges that do not overlap."""
    if new.metric == "control":
        return not _same_name(new.actor_key, old.actor_key)
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


def _live(entries: list[LedgerEntry], latest: dict[tuple[str, str], int]) -> list[LedgerEntry]:
    """Entries still in force: an entry from an older revision of a post that was edited since is not."""
    edited = {post_id for (_, post_id), revision in latest.items() if revision > 1}
    if not edited:
        return entries  # nothing edited (the common case): every entry is in force
    return [
        e
        for e in entries
        if e.post.post_id not in edited or e.post.revision >= latest.get((e.post.feed_id, e.post.post_id), 0)
    ]


def _latest_revisions(state: LedgerState) -> dict[tuple[str, str], int]:
    return {(feed_id, post_id): revision for feed_id, post_id, revision in state.revisions}


def _latest_figure(entries: list[LedgerEntry]) -> LedgerEntry | None:
    for entry in reversed(entries):
        if entry.outcome not in _SILENT:
            return entry
    return None


def current_entry(state: LedgerState) -> LedgerEntry | None:
    """The entry that holds the current figure: the latest live one that was neither a restatement nor stale."""
    return _latest_figure(_live(state.entries, _latest_revisions(state)))


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
        claim.metric in _DISPUTED_WHEN_LOWER
        and claim_range(claim)[1] < claim_range(reference.claim)[0]
        and claim.source
        and standing
        and not _same_source(claim.source, standing)
    ):
        return "conflicting_claim", reference
    return "claim_update", reference


def claim_id(post: PostRef, claim: Claim) -> str:
    """What makes a recorded claim the same one again: its post, the post's revision and the claim itself."""
    body = orjson.dumps([post.feed_id, post.post_id, post.revision, claim.model_dump(mode="json")])
    return hashlib.blake2b(body, digest_size=8).hexdigest()


def apply_claim(
    state: LedgerState,
    event: ClaimEvent,
    *,
    updated_at: datetime | None = None,
    partition: int | None = None,
    limits: LedgerLimits = LIMITS,
) -> tuple[LedgerState, list[Alert]]:
    """Record ``event`` in a claim key's state and return the new state and its alerts.

    Pure and idempotent: the same claim from the same post revision, applied
    twice, changes nothing the second time (``state`` itself comes back).
    ``state`` is not mutated. Restatements and stale reports are recorded but
    raise no alert. ``updated_at`` and ``partition`` are stored as given: when
    and where the key was last written, for the window that forgets idle keys.
    """
    recorded_id = claim_id(event.post, event.claim)
    if recorded_id in state.claim_ids:
        return state, []
    claim, post = event.claim, event.post
    side = side_of(claim.source_role, claim.source)
    latest = _latest_revisions(state)
    live = _live(state.entries, latest)
    known = latest.get((post.feed_id, post.post_id), 0)
    # The post's entries in force all carry its latest revision: an edit replaces them all.
    earlier_revisions = [e for e in live if _same_post(e.post, post)] if 0 < known < post.revision else []
    replaced = _latest_figure(earlier_revisions) or (earlier_revisions[-1] if earlier_revisions else None)
    outcome: LedgerOutcome
    previous: LedgerEntry | None
    if known > post.revision:
        outcome, previous = "stale", None  # an outdated revision delivered after its edit
    elif replaced is not None and _restates(claim, replaced.claim):
        outcome, previous = "restated", replaced  # the edit left this figure alone
    else:
        before_post = [e for e in live if not _same_post(e.post, post)] if earlier_revisions else live
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
    new_state = _record(state, entry, recorded_id, updated_at=updated_at, partition=partition, limits=limits)
    if outcome in _SILENT:
        return new_state, []
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
    return new_state, [alert]


def _record(
    state: LedgerState,
    entry: LedgerEntry,
    recorded_id: str,
    *,
    updated_at: datetime | None,
    partition: int | None,
    limits: LedgerLimits,
) -> LedgerState:
    """``state`` with ``entry`` appended, cut back every ``limits.slack`` claims to what can still be read."""
    feed_id, post_id = entry.post.feed_id, entry.post.post_id
    revision = entry.post.revision
    revisions = []
    for known in state.revisions:
        if known[0] == feed_id and known[1] == post_id:
            revision = max(revision, known[2])
        else:
            revisions.append(known)
    revisions.append((feed_id, post_id, revision))  # now the most recently recorded post
    entries = [*state.entries, entry]
    shown = min(limits.shown, state.shown + 1)
    if (state.recorded + 1) % limits.slack == 0:
        # Keeping more than needed in between changes no outcome; cutting back costs a
        # pass over the entries, so it is done once per `slack` claims, not per claim.
        latest = {(f, p): r for f, p, r in revisions}
        kept = _in_force(entries, latest, limits)
        kept.update(range(len(entries) - shown, len(entries)))
        entries = [e for i, e in enumerate(entries) if i in kept]
        named = {(e.post.feed_id, e.post.post_id) for e in entries}
        recent = len(revisions) - limits.posts
        revisions = [r for i, r in enumerate(revisions) if i >= recent or (r[0], r[1]) in named]
    return LedgerState.model_construct(  # built from validated parts: validating again would only cost
        entries=entries,
        shown=shown,
        recorded=state.recorded + 1,
        revisions=revisions,
        claim_ids=[*state.claim_ids, recorded_id][max(0, len(state.claim_ids) + 1 - limits.claim_ids) :],
        updated_at=updated_at if updated_at is not None else state.updated_at,
        partition=partition if partition is not None else state.partition,
    )


def _in_force(entries: list[LedgerEntry], latest: dict[tuple[str, str], int], limits: LedgerLimits) -> set[int]:
    """Positions of the entries a later claim can still read; ``latest`` orders posts least recent first.

    A claim reads the live entries only, for: the current figure and each
    side's latest figure (with at most one post, its own, left out), the
    latest named source, and its own post's figure when it is an edit. So
    each post keeps its latest figure, its latest figure per side, its latest
    sourced entry and its last entry, and only the newest ``limits.ranked``
    posts of each such kind, plus every recent post (``limits.posts``), keep
    them. Edits can take several posts out of a ranking in turn, hence more
    than two.
    """
    recent = set(list(latest)[max(0, len(latest) - limits.posts) :])
    ranked: dict[object, set[tuple[str, str]]] = {}
    per_post: set[tuple[object, tuple[str, str]]] = set()
    kept: set[int] = set()
    for i in range(len(entries) - 1, -1, -1):
        entry = entries[i]
        post = (entry.post.feed_id, entry.post.post_id)
        if entry.post.revision < latest.get(post, 0):
            continue  # superseded by an edit: never read again
        kinds: list[object] = ["last"]
        if entry.claim.source:
            kinds.append("sourced")
        if entry.outcome not in _SILENT:
            kinds.append("figure")
            if entry.side:
                kinds.append(("figure", entry.side))
        for kind in kinds:
            if (kind, post) in per_post:
                continue  # the post's newer entry of this kind stands for it
            per_post.add((kind, post))
            posts = ranked.setdefault(kind, set())
            if post in recent and kind in ("last", "figure"):
                kept.add(i)  # what an edit of a recent post compares with
            elif kind != "last" and len(posts) < limits.ranked:
                posts.add(post)
                kept.add(i)
    return kept


def fold_history(history: Iterable[LedgerEntry], *, limits: LedgerLimits = LIMITS) -> LedgerState:
    """The state of a key from its recorded entries, oldest first (the ledger's former table value)."""
    state = LedgerState()
    for entry in history:
        state = _record(state, entry, claim_id(entry.post, entry.claim), updated_at=None, partition=None, limits=limits)
    return state


def select_histories(
    ledger: Iterable[tuple[str, LedgerState]],
    *,
    place: str | None = None,
    metric: str | None = None,
    actor: str | None = None,
) -> list[ClaimHistory]:
    """The ledger's keys that match every filter given, each with its current figure and latest history, by key.

    ``place`` matches a claim's place or anywhere inside it (a town inside a
    region); ``metric`` and ``actor`` match exactly, ignoring case.
    """
    selected = []
    for key, state in ledger:
        history = state.history
        if not history:
            continue
        claim = history[-1].claim
        if metric and claim.metric != metric.strip().casefold():
            continue
        if actor and not (_same_name(claim.actor, actor.strip()) or _same_name(claim.actor_id, actor.strip())):
            continue
        if place and not (claim.place and within(claim.place, place)):
            continue
        item = ClaimHistory(key=key, current=current_entry(state), history=history, recorded=state.recorded)
        selected.append(item)
    return sorted(selected, key=lambda item: item.key)


def idle_partition(
    updated_at: datetime | None, partition: int | None, *, now: datetime, window: timedelta
) -> int | None:
    """The partition of a key that recorded no claim within ``window``, to forget it there; ``None`` to keep it.

    A key forgotten starts afresh: its next claim is a ``new_claim``. A value
    that does not say when or where it was written (one from before the
    window existed) is kept, since its changelog partition is not known.
    """
    if updated_at is None or partition is None or now - updated_at <= window:
        return None
    return partition
