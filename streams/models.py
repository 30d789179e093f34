"""Records that cross topics: frozen pydantic models, encoded with orjson.

Readers are tolerant (unknown fields are ignored) so that adding an optional
field never breaks an older consumer. ``schemas/*.json`` is generated from
these models (``livewire schemas export``) and a test fails on drift.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Final, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field

EntityType = Literal["PERSON", "ORG", "PLACE", "NORP"]
Qualifier = Literal["exact", "approx", "at_least", "at_most"]
QuantityKind = Literal[
    "area_km2",
    "settlements",
    "depth_km",
    "front_km",
    "distance_km",
    "killed",
    "injured",
    "displaced",
    "missing",
    "captured",
    "missiles",
    "drones",
    "troops",
    "money_usd",
    "other",
]
Metric = Literal[
    "area_km2",
    "settlements",
    "depth_km",
    "front_km",
    "distance_km",
    "killed",
    "injured",
    "displaced",
    "missing",
    "captured",
    "missiles",
    "drones",
    "troops",
    "money_usd",
    "arms_transfer",
    "control",
]
Category = Literal[
    "territorial",
    "military",
    "casualties",
    "humanitarian",
    "diplomacy",
    "arms",
    "statement",
    "media",
    "politics",
    "legal",
    "other",
]


class AlertType(StrEnum):
    """What a claim tells a subscriber, compared with the ledger."""

    NEW_CLAIM = "new_claim"
    CLAIM_UPDATE = "claim_update"
    CONFLICTING_CLAIM = "conflicting_claim"


class Severity(StrEnum):
    """How loudly an alert should ring."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Wire(BaseModel):
    """Base of every wire record: frozen, tolerant of unknown fields."""

    model_config = ConfigDict(frozen=True, extra="ignore")


MAX_TITLE_CHARS: Final = 1000
"""Longest post title or live-blog title a post may carry."""
MAX_BODY_CHARS: Final = 100_000
"""Longest post body: keeps an enriched post under the producer's request cap."""


class Post(Wire):
    """One live-blog post as a publisher pushes it to ``posts.raw``."""

    source: str = Field(min_length=1, max_length=200, description="Publisher or wire name.")
    feed_id: str = Field(min_length=1, max_length=200, description="One live blog; the partition key.")
    post_id: str = Field(min_length=1, max_length=200, description="Stable id of the post within its feed.")
    revision: int = Field(default=1, ge=1, le=1_000_000, description="Bumped on each edit of the post.")
    published_at: datetime | None = Field(default=None, description="When the publisher says it was posted.")
    ingested_at: datetime | None = Field(default=None, description="When Livewire's ingest produced it.")
    url: str | None = Field(default=None, max_length=2000)
    lang: str = Field(default="en", min_length=2, max_length=16)
    seq: int | None = Field(default=None, ge=0, description="Position of the post in its feed, oldest first.")
    title: str = Field(min_length=1, max_length=MAX_TITLE_CHARS)
    body: str = Field(default="", max_length=MAX_BODY_CHARS)
    feed_title: str | None = Field(
        default=None, max_length=MAX_TITLE_CHARS, description="Title of the live blog the post belongs to (its story)."
    )


class Entity(Wire):
    """A person, organisation, place or nationality named in a post."""

    text: str
    type: EntityType
    canonical: str
    id: str
    country_code: str | None = None
    admin_level: int | None = None
    lat: float | None = None
    lon: float | None = None
    aliases: list[str] = Field(
        default_factory=list, description="Other names the post uses for it (an acronym, an alias)."
    )


class Quantity(Wire):
    """A numeric fact: what is counted, its value in base units, and how sure."""

    text: str
    kind: QuantityKind
    value: float
    unit: str | None = None
    qualifier: Qualifier = "exact"
    start: int = 0
    end: int = 0


class Claim(Wire):
    """A figure worth tracking over time: who says what about which place."""

    metric: Metric
    value: float
    qualifier: Qualifier = "exact"
    actor: str | None = Field(default=None, description='The side as the post names it: "US", "United States".')
    actor_id: str | None = Field(
        default=None, description="The side's canonical name: one ledger key whatever spelling a post uses."
    )
    place: str | None = None
    place_id: str | None = Field(
        default=None, description="Gazetteer id of the place: one ledger key whatever spelling a post uses."
    )
    source: str | None = None
    source_role: str | None = None
    evidence: str = ""
    hedged: bool = False

    @property
    def actor_key(self) -> str | None:
        """Who the claim is about, by canonical name when known: "US" and "United States" are one side."""
        return self.actor_id or self.actor

    @property
    def key(self) -> str:
        """Ledger key: metric, actor (by canonical name) and place (by id when known), lower-cased, joined by ``|``.

        A ``control`` claim is about its place alone: who holds it is the figure
        that changes, so two sides claiming one town share a key.
        """
        actor = None if self.metric == "control" else self.actor_key
        place = self.place_id or self.place
        return "|".join(part.casefold() if part else "-" for part in (self.metric, actor, place))


class CategoryScore(Wire):
    """One category label with its score and the cues that fired."""

    label: Category
    score: float
    cues: list[str] = Field(default_factory=list)


class StoryPlace(Wire):
    """A place a live blog keeps coming back to, and how much it has (decayed mention weight)."""

    id: str
    name: str = Field(description="How the blog writes it (first spelling seen).")
    canonical: str = Field(default="", description="The gazetteer's name for it.")
    country_code: str | None = None
    admin_level: int | None = None
    lat: float | None = None
    lon: float | None = None
    weight: float = Field(default=0.0, description="Decayed mention weight as of the post last read.")
    in_title: bool = Field(default=False, description="Named in the blog's own title.")


class StoryEntry(Wire):
    """The story places one post named, at its place in the feed's order."""

    post_id: str
    order: int = Field(description="The post's seq, else its arrival number in the feed.")
    places: list[StoryPlace] = Field(default_factory=list)
    main: StoryPlace | None = Field(
        default=None, description="The story's place as this post first saw it (what a redelivery sees again)."
    )


class Story(Wire):
    """What one feed is about: the ``feeds.story`` table value.

    Kept as the title's places plus each recent post's places, so the story as
    of any post can be recomputed: a post read again after a crash sees the
    story it saw the first time, and so files its claims under the same key.
    """

    feed_id: str
    posts: int = 0
    title_places: list[StoryPlace] = Field(default_factory=list)
    entries: list[StoryEntry] = Field(default_factory=list)
    places: list[StoryPlace] = Field(
        default_factory=list, description="Places by weight as of the post last read (heaviest first)."
    )
    local_places: list[str] = Field(
        default_factory=list, description="Places no gazetteer lists that the feed has named (newest last)."
    )

    @property
    def main_place(self) -> StoryPlace | None:
        """The place the story is about: the heaviest, if any."""
        return self.places[0] if self.places else None


class EnrichedPost(Wire):
    """A post after validate, dedupe and enrich: what ``posts.enriched`` carries."""

    post: Post
    fingerprint: str
    categories: list[CategoryScore] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    story_place: str | None = Field(default=None, description="The feed's main place when the post was enriched.")


class DuplicatePost(Wire):
    """A post absorbed by dedupe, with the post it repeats: ``posts.duplicates``."""

    post: Post
    fingerprint: str
    duplicate_of: str = Field(description="feed_id/post_id#revision of the earlier post.")
    reason: Literal["redelivery", "exact_copy", "near_copy"]


class PostRef(Wire):
    """Where a claim or alert came from, to link back to the post."""

    source: str
    feed_id: str
    post_id: str
    revision: int = 1
    url: str | None = None
    seq: int | None = None
    published_at: datetime | None = None
    ingested_at: datetime | None = None

    @classmethod
    def of(cls, post: Post) -> PostRef:
        """The reference to ``post`` that claims and alerts carry."""
        return cls(
            source=post.source,
            feed_id=post.feed_id,
            post_id=post.post_id,
            revision=post.revision,
            url=post.url,
            seq=post.seq,
            published_at=post.published_at,
            ingested_at=post.ingested_at,
        )


class ClaimEvent(Wire):
    """One claim of one post, keyed by claim key: ``claims.events``."""

    key: str
    claim: Claim
    post: PostRef
    categories: list[Category] = Field(default_factory=list, description="The post's categories.")


LedgerOutcome = Literal["new_claim", "claim_update", "conflicting_claim", "restated", "stale"]


class LedgerEntry(Wire):
    """One recorded claim in the ledger's append-only history."""

    claim: Claim
    post: PostRef
    outcome: LedgerOutcome = "new_claim"
    side: str | None = Field(default=None, description="Country the claim's source speaks for (ISO alpha-2).")
    supersedes: int | None = Field(
        default=None, description="Revision of the same post whose figure this entry replaces (an edit)."
    )


class LedgerState(Wire):
    """One claim key in the ledger (the ``claims.ledger`` table value): bounded, whatever the key's traffic.

    Not the key's whole history: the entries a later claim can still be
    compared with (each post's figures, the current figure, each side's and
    source's latest), the key's most recent entries for the ``/claims`` view,
    each recent post's latest revision and the ids of recently recorded claims.
    """

    entries: list[LedgerEntry] = Field(
        default_factory=list, description="Kept entries in the order recorded; the last `shown` are the latest claims."
    )
    shown: int = Field(default=0, description="How many of the last entries are the key's latest claims, in order.")
    recorded: int = Field(default=0, description="Claims recorded for the key in all.")
    revisions: list[tuple[str, str, int]] = Field(
        default_factory=list, description="(feed_id, post_id, latest revision) of recent posts, least recent first."
    )
    claim_ids: list[str] = Field(
        default_factory=list, description="Digests of the latest claims recorded (post, revision, claim): replays."
    )
    updated_at: datetime | None = Field(default=None, description="When the key last recorded a claim.")
    partition: int | None = Field(default=None, description="Partition of the key (where its changelog record goes).")

    @property
    def history(self) -> list[LedgerEntry]:
        """The key's latest claims, oldest first (all of them while the key has few)."""
        return self.entries[len(self.entries) - self.shown :]


class ClaimHistory(Wire):
    """The ledger of one claim key as the ``/claims`` view shows it: current figure and latest history."""

    key: str
    current: LedgerEntry | None
    history: list[LedgerEntry] = Field(description="The latest claims recorded for the key, oldest first.")
    recorded: int | None = Field(default=None, description="Claims recorded for the key in all.")


class Alert(Wire):
    """A claim worth telling a subscriber about: ``alerts``."""

    alert_id: str
    type: AlertType
    severity: Severity
    headline: str
    claim_key: str
    claim: Claim
    previous: Claim | None = None
    post: PostRef
    previous_post: PostRef | None = Field(default=None, description="Where the previous figure was reported.")
    delta: float | None = Field(default=None, description="New value minus the previous one (numeric metrics).")
    direction: Literal["up", "down"] | None = None
    source_side: str | None = Field(default=None, description="Country the source speaks for (ISO alpha-2).")
    supersedes: int | None = Field(default=None, description="Revision of the same post this alert corrects.")
    categories: list[Category] = Field(default_factory=list, description="What the alert is about.")


def encode(message: Wire) -> bytes:
    """Encode a wire record to JSON bytes (orjson; datetimes as RFC 3339)."""
    return orjson.dumps(message.model_dump(mode="json", exclude_none=False))
