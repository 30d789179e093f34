"""Build alerts: deterministic ids, severity and a headline a person can read."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Final, Literal

from streams.models import Alert, AlertType, Category, Claim, LedgerEntry, Metric, PostRef, Severity

_HIGH_METRICS = frozenset({"killed", "area_km2", "control", "arms_transfer", "missiles"})

# What an alert is about when the post's own categories do not say: the metric's field.
_METRIC_CATEGORY: Final[dict[Metric, Category]] = {
    "area_km2": "territorial",
    "settlements": "territorial",
    "depth_km": "territorial",
    "front_km": "territorial",
    "distance_km": "territorial",
    "control": "territorial",
    "killed": "casualties",
    "injured": "casualties",
    "missing": "casualties",
    "captured": "casualties",
    "displaced": "humanitarian",
    "missiles": "military",
    "drones": "military",
    "troops": "military",
    "arms_transfer": "arms",
    "money_usd": "diplomacy",
}

_UNIT = {
    "area_km2": " km²",
    "depth_km": " km",
    "front_km": " km",
    "distance_km": " km",
}
_COUNTED = {
    "settlements": "settlements",
    "killed": "killed",
    "injured": "injured",
    "displaced": "displaced",
    "missing": "missing",
    "captured": "captured",
    "missiles": "missiles",
    "drones": "drones",
    "troops": "troops",
}


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def figure_text(claim: Claim) -> str:
    """The claim's value in words: ``~1,000 km²``, ``at least 100,000``, ``up to 12 km``."""
    if claim.metric == "money_usd":
        number = f"${_number(claim.value)}"
    else:
        number = _number(claim.value) + _UNIT.get(claim.metric, "")
    prefix = {"approx": "~", "at_least": "at least ", "at_most": "up to "}.get(claim.qualifier, "")
    return prefix + number


def _statement(claim: Claim) -> str:
    actor = claim.actor or "?"
    place = claim.place or "unknown place"
    figure = figure_text(claim)
    if claim.metric == "area_km2":
        return f"{actor} controls {figure} of {place}"
    if claim.metric == "settlements":
        return f"{actor} controls {figure} settlements in {place}"
    if claim.metric == "control":
        return f"{actor} takes control of {place}"
    if claim.metric == "depth_km":
        return f"{actor} advance {figure} deep into {place}"
    if claim.metric == "front_km":
        return f"{actor} front {figure} wide in {place}"
    if claim.metric == "arms_transfer":
        return f"{actor} to send {figure} weapons to {place}"
    counted = _COUNTED.get(claim.metric, claim.metric.replace("_", " "))
    return f"{figure} {counted} in {place}"


def _headline(kind: AlertType, claim: Claim, previous: LedgerEntry | None, supersedes: int | None) -> str:
    words = {
        AlertType.NEW_CLAIM: "New claim",
        AlertType.CLAIM_UPDATE: "Update",
        AlertType.CONFLICTING_CLAIM: "Conflicting claim",
    }[kind]
    line = f"{words}: {_statement(claim)}"
    if previous is not None:
        was = (previous.claim.actor or "?") if claim.metric == "control" else figure_text(previous.claim)
        when = previous.post.published_at
        line += f" (was {was}{' on ' + when.strftime('%d %b') if when else ''}"
        line += f", per {previous.claim.source})" if previous.claim.source else ")"
    if supersedes is not None:
        line += f" [corrects revision {supersedes}]"
    if claim.hedged:
        line += " [unconfirmed]"
    if claim.source:
        line += f" — {_attribution(claim.source, claim.source_role)}"
    return line


def _attribution(source: str, role: str | None) -> str:
    """Name a source with its role: "Kyiv's army chief Oleksandr Syrskyi", "Reuters, citing two sources"."""
    if not role:
        return source
    if _REPORTING.match(role):
        return f"{source}, {role}"
    return f"{role} {source}"


_REPORTING: Final = re.compile(r"^(?:citing|according\s+to|quoting|quoted|speaking|who)\b", re.IGNORECASE)


def _severity(kind: AlertType, claim: Claim, previous: Claim | None) -> Severity:
    if kind is AlertType.CONFLICTING_CLAIM:
        return Severity.HIGH
    if previous is not None and previous.value:
        change = abs(claim.value - previous.value) / abs(previous.value)
        if change >= 0.5:
            return Severity.HIGH
    if claim.metric in _HIGH_METRICS and not claim.hedged:
        return Severity.HIGH
    return Severity.MEDIUM if not claim.hedged else Severity.LOW


def _change(claim: Claim, previous: Claim | None) -> tuple[float | None, Literal["up", "down"] | None]:
    """Delta and direction of a figure against the previous one (none for control or an equal value)."""
    if previous is None or claim.metric == "control":
        return None, None
    delta = claim.value - previous.value
    return delta, ("up" if delta > 0 else "down" if delta < 0 else None)


def make_alert(
    kind: AlertType,
    *,
    key: str,
    claim: Claim,
    post: PostRef,
    previous: LedgerEntry | None,
    side: str | None = None,
    supersedes: int | None = None,
    categories: Iterable[Category] = (),
) -> Alert:
    """Build one alert; the id depends only on the claim key, the post revision, type and value.

    Pure and deterministic: replaying the same post after a crash yields the same ``alert_id``.
    """
    identity = f"{key}|{post.feed_id}|{post.post_id}|{post.revision}|{kind.value}|{claim.value!r}"
    alert_id = hashlib.blake2b(identity.encode(), digest_size=12).hexdigest()
    delta, direction = _change(claim, previous.claim if previous else None)
    return Alert(
        alert_id=alert_id,
        type=kind,
        severity=_severity(kind, claim, previous.claim if previous else None),
        headline=_headline(kind, claim, previous, supersedes),
        claim_key=key,
        claim=claim,
        previous=previous.claim if previous else None,
        post=post,
        previous_post=previous.post if previous else None,
        delta=delta,
        direction=direction,
        source_side=side,
        supersedes=supersedes,
        categories=list(dict.fromkeys([*categories, _METRIC_CATEGORY[claim.metric]])),
    )
