"""Decide whether a post is new, a re-delivery, an edit, or a copy of a recent post."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from streams.models import Post

_NON_WORD = re.compile(r"[^\w]+")

Outcome = Literal["new", "edit", "redelivery", "exact_copy"]


def fingerprint(post: Post) -> str:
    """Return a content fingerprint stable under case, punctuation and whitespace changes.

    Pure and deterministic: the same words in the same order give the same 20 hex digits.
    """
    text = unicodedata.normalize("NFKC", f"{post.title}\n{post.body}").casefold()
    words = _NON_WORD.sub(" ", text).split()
    return hashlib.blake2b(" ".join(words).encode(), digest_size=10).hexdigest()


@dataclass(frozen=True)
class Seen:
    """What the dedupe table remembers about one post (or one fingerprint)."""

    ref: str
    revision: int
    fingerprint: str
    at: datetime
    origin: str | None = None
    """Coordinates of the Kafka record that wrote the entry (``topic:partition:offset``)."""

    def to_json(self) -> dict[str, object]:
        """Table value (faust's JSON serializer)."""
        value: dict[str, object] = {
            "ref": self.ref,
            "revision": self.revision,
            "fp": self.fingerprint,
            "at": self.at.isoformat(),
        }
        if self.origin is not None:
            value["src"] = self.origin
        return value

    @classmethod
    def from_json(cls, value: object) -> Seen | None:
        """Read a table value back; ``None`` for a missing or unreadable one."""
        if not isinstance(value, dict):
            return None
        try:
            seen = cls(
                ref=str(value["ref"]),
                revision=int(value["revision"]),
                fingerprint=str(value["fp"]),
                at=datetime.fromisoformat(str(value["at"])),
                origin=str(value["src"]) if value.get("src") is not None else None,
            )
        except (KeyError, TypeError, ValueError):
            return None
        # A naive time cannot be compared with the aware clock: treat it as unreadable.
        return seen if seen.at.tzinfo is not None else None


@dataclass(frozen=True)
class Verdict:
    """The dedupe decision and the table writes that record it."""

    outcome: Outcome
    duplicate_of: str | None
    writes: dict[str, Seen]

    @property
    def passes(self) -> bool:
        """True when the post goes on to enrich (new posts and edits)."""
        return self.outcome in ("new", "edit")


def post_ref(post: Post) -> str:
    """``feed/post#revision``: how outputs point back at a post."""
    return f"{post.feed_id}/{post.post_id}#{post.revision}"


def post_key(post: Post) -> str:
    """Table key of a post's latest revision."""
    return f"post|{post.feed_id}|{post.post_id}"


def copy_key(fp: str) -> str:
    """Table key of a content fingerprint."""
    return f"fp|{fp}"


def decide(
    post: Post,
    fp: str,
    *,
    same_post: Seen | None,
    same_content: Seen | None,
    now: datetime,
    window: timedelta,
    origin: str | None = None,
) -> Verdict:
    """Compare a post with what was seen, within ``window`` before ``now``.

    Pure. ``same_post`` is the table entry under :func:`post_key`, ``same_content``
    the one under :func:`copy_key`. Entries older than the window are ignored, so
    state can be pruned without changing answers. A re-delivery (same post and
    revision, or an older revision) and an exact copy under another post id are
    duplicates; a higher revision is an edit and passes.

    ``origin`` names the Kafka record being decided. An entry written by that very
    record is not a redelivery but our own unfinished work: the worker recorded the
    post and stopped before committing the offset, maybe before its outputs reached
    the broker (a table write can overtake them). Such a replay passes again, so a
    crash yields a duplicate downstream, never a post that is only "seen".
    """
    fresh_post = same_post if same_post and now - same_post.at <= window else None
    fresh_copy = same_content if same_content and now - same_content.at <= window else None
    if origin is not None:
        fresh_post = None if fresh_post is not None and fresh_post.origin == origin else fresh_post
        fresh_copy = None if fresh_copy is not None and fresh_copy.origin == origin else fresh_copy
    seen = Seen(ref=post_ref(post), revision=post.revision, fingerprint=fp, at=now, origin=origin)
    if fresh_post is not None and post.revision <= fresh_post.revision:
        return Verdict("redelivery", fresh_post.ref, {})
    if fresh_copy is not None and not fresh_copy.ref.startswith(f"{post.feed_id}/{post.post_id}#"):
        return Verdict("exact_copy", fresh_copy.ref, {post_key(post): seen})
    outcome: Outcome = "edit" if fresh_post is not None else "new"
    return Verdict(outcome, None, {post_key(post): seen, copy_key(fp): seen})


def expired(value: object, *, now: datetime, window: timedelta) -> bool:
    """True when a table value is unreadable or older than the window (safe to delete)."""
    seen = Seen.from_json(value)
    return seen is None or now - seen.at > window
