"""Decide whether a post is new, a re-delivery, an edit, or an exact or near copy of a recent post.

Near copies (the same wire update re-posted by another blog, or re-posted
with light edits under a new id) are found by comparing a small sketch of
each post with the sketches of recent posts that share an anchor with it.
A near copy must carry exactly the same figures and no conflicting names:
same-story updates differ in a figure ("rises to 24" then "to 31") or a
place ("seized Kornoi" after "seized Um Shalaya") far more often than in
wording, and a missed copy costs little (its claims are restatements the
ledger absorbs) while a false one loses news. The threshold is measured on
labelled pairs: see docs/dedupe.md.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Final, Literal

from streams.models import Post

_NON_WORD = re.compile(r"[^\w]+")
# Numbers keep their separators ("1,500", "1.5") so a figure stays one token.
_TOKEN = re.compile(r"\d[\d,.]*\d|\w+")
_NUMBER_WORDS: Final = frozenset(
    {
        *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
        *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"),
        *("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"),
        *("hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion", "dozen", "dozens"),
    }
)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"”’')\]]*\s+|\n+")
# What may open a sentence before its first word: quotes, dashes, a "(AFP)" style tag.
_SENTENCE_LEAD = re.compile(r"^[\s\"“‘'(\[—–-]*(?:[A-Z]{2,10}\)\s*)?[\"“‘']*")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*")

Outcome = Literal["new", "edit", "redelivery", "exact_copy", "near_copy"]

NEAR_COPY_THRESHOLD: Final = 0.5
"""Least word resemblance (Jaccard) of a near copy; measured in docs/dedupe.md."""
SKETCH_WORDS: Final = 128
"""Distinct words kept per sketch (bottom-k): resemblance is exact for posts up to this many."""
ANCHORS: Final = 4
"""Lookup keys per post: a copy sharing a fraction J of its 3-word shingles misses all of them
with probability about (1 - J) ** ANCHORS."""
_SHINGLE: Final = 3


def fingerprint(post: Post) -> str:
    """Return a content fingerprint stable under case, punctuation and whitespace changes.

    Pure and deterministic: the same words in the same order give the same 20 hex digits.
    """
    text = unicodedata.normalize("NFKC", f"{post.title}\n{post.body}").casefold()
    words = _NON_WORD.sub(" ", text).split()
    return hashlib.blake2b(" ".join(words).encode(), digest_size=10).hexdigest()


def _hash32(text: str) -> int:
    # Not hash(): sketches are stored and must mean the same after a restart. CRC-32 is
    # the cheapest stable hash; the odd multiplier spreads its values so the smallest
    # ones (the anchors, a long post's kept words) are not biased towards similar strings.
    return (zlib.crc32(text.encode()) * 0x9E3779B1) & 0xFFFFFFFF


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return [t.replace(",", "") for t in _TOKEN.findall(text)]


def _names(text: str) -> frozenset[int]:
    """Capitalised words that do not open a sentence: the names a post mentions."""
    found: set[int] = set()
    for sentence in _SENTENCE_BREAK.split(unicodedata.normalize("NFKC", text)):
        rest = sentence[_SENTENCE_LEAD.match(sentence).end() :]  # type: ignore[union-attr]  # always matches
        first = re.match(r"\S*\s*", rest)
        for word in _CAPITALISED.findall(rest[first.end() if first else 0 :]):
            found.add(_hash32(word.casefold().replace("’", "'").removesuffix("'s")))
    return frozenset(found)


def _hex(values: Iterable[int]) -> str:
    return "".join(f"{v:08x}" for v in values)


def _unhex(text: str) -> tuple[int, ...]:
    if len(text) % 8:
        msg = "sketch hex is not a whole number of 32-bit values"
        raise ValueError(msg)
    return tuple(int(text[i : i + 8], 16) for i in range(0, len(text), 8))


@dataclass(frozen=True)
class Sketch:
    """What near-copy detection keeps of a post: its words, names and figures, hashed."""

    words: tuple[int, ...]
    """Ascending hashes of the body's distinct words, the smallest SKETCH_WORDS of them."""
    names: frozenset[int]
    figures: int
    """Hash of the post's figures (numbers and number words, title and body)."""
    anchors: tuple[int, ...] = field(default=(), compare=False)
    """The smallest hashes of the body's 3-word shingles: lookup keys, never stored."""

    def to_json(self) -> dict[str, str]:
        """Compact table value: 8 hex digits per hash."""
        return {"w": _hex(self.words), "n": _hex(sorted(self.names)), "f": f"{self.figures:08x}"}

    @classmethod
    def from_json(cls, value: object) -> Sketch | None:
        """Read a stored sketch back; ``None`` for a missing or unreadable one."""
        if not isinstance(value, dict):
            return None
        try:
            return cls(
                words=_unhex(str(value["w"])),
                names=frozenset(_unhex(str(value["n"]))),
                figures=int(str(value["f"]), 16),
            )
        except (KeyError, TypeError, ValueError):
            return None


def sketch(post: Post) -> Sketch:
    """Sketch a post for near-copy comparison. Pure.

    Words and names come from the body (a re-post usually gets a new
    headline); a post with no body is sketched from its title. Figures come
    from both, since a headline figure is part of the update.
    """
    text = post.body if post.body.strip() else post.title
    words = _tokens(text)
    figures = sorted({t for t in _tokens(f"{post.title}\n{post.body}") if t[0].isdigit() or t in _NUMBER_WORDS})
    if len(words) >= _SHINGLE:
        shingles = {" ".join(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}
    else:
        shingles = {" ".join(words)}
    return Sketch(
        words=tuple(sorted({_hash32(w) for w in words})[:SKETCH_WORDS]),
        names=_names(text),
        figures=_hash32(" ".join(figures)),
        anchors=tuple(sorted({_hash32(s) for s in shingles})[:ANCHORS]),
    )


def resemblance(a: Sketch, b: Sketch) -> float:
    """Word Jaccard of two sketches, or 0.0 when their figures differ or each names someone the other does not.

    Pure. Exact when both posts have at most SKETCH_WORDS distinct words, a
    bottom-k estimate beyond that.
    """
    if a.figures != b.figures or not (a.names <= b.names or b.names <= a.names):
        return 0.0
    # A full sketch only speaks for hashes up to its largest one.
    limit = min(s.words[-1] if len(s.words) >= SKETCH_WORDS else 1 << 32 for s in (a, b))
    wa, wb = set(a.words), set(b.words)
    union = {h for h in wa | wb if h <= limit}
    if not union:
        return 0.0
    return sum(1 for h in union if h in wa and h in wb) / len(union)


def anchor_keys(s: Sketch) -> list[str]:
    """Table keys under which a post can be found by its near copies (figures are part of the key)."""
    return [f"near|{s.figures:08x}{a:08x}" for a in s.anchors]


@dataclass(frozen=True)
class Seen:
    """What the dedupe table remembers about one post (or one fingerprint, or one anchor)."""

    ref: str
    revision: int
    fingerprint: str
    at: datetime
    sketch: Sketch | None = None
    """Kept on a post's own entry, for comparing later posts with it."""
    entry: str | None = None
    """On an anchor: the key of the post entry that holds the sketch."""
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
        if self.sketch is not None:
            value["sk"] = self.sketch.to_json()
        if self.entry is not None:
            value["of"] = self.entry
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
                sketch=Sketch.from_json(value.get("sk")),
                entry=str(value["of"]) if value.get("of") is not None else None,
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
    fingerprint: str = ""
    similarity: float | None = None
    """For a near copy: its resemblance to the post it repeats."""

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


def _fresh(seen: Seen | None, now: datetime, window: timedelta) -> Seen | None:
    return seen if seen is not None and now - seen.at <= window else None


def decide(
    post: Post,
    fp: str,
    *,
    same_post: Seen | None,
    same_content: Seen | None,
    now: datetime,
    window: timedelta,
    post_sketch: Sketch | None = None,
    similar: Sequence[Seen] = (),
    threshold: float = NEAR_COPY_THRESHOLD,
    origin: str | None = None,
) -> Verdict:
    """Compare a post with what was seen, within ``window`` before ``now``.

    Pure. ``same_post`` is the table entry under :func:`post_key`, ``same_content``
    the one under :func:`copy_key`, ``similar`` the post entries found through the
    post's anchors. Entries older than the window are ignored, so state can be
    pruned without changing answers. A re-delivery (same post and revision with
    the same text, or an older revision), an exact copy under another post id and
    a near copy of another post are duplicates; a higher revision, or the same
    revision with new text, is an edit and passes.

    ``origin`` names the Kafka record being decided. An entry written by that very
    record is not a redelivery but our own unfinished work: the worker recorded the
    post and stopped before committing the offset, maybe before its outputs reached
    the broker (a table write can overtake them). Such a replay passes again, so a
    crash yields a duplicate downstream, never a post that is only "seen".
    """
    fresh_post = _fresh(same_post, now, window)
    fresh_copy = _fresh(same_content, now, window)
    if origin is not None:
        fresh_post = None if fresh_post is not None and fresh_post.origin == origin else fresh_post
        fresh_copy = None if fresh_copy is not None and fresh_copy.origin == origin else fresh_copy
    seen = Seen(ref=post_ref(post), revision=post.revision, fingerprint=fp, at=now, origin=origin)
    if fresh_post is not None and (
        post.revision < fresh_post.revision or (post.revision == fresh_post.revision and fp == fresh_post.fingerprint)
    ):
        return Verdict("redelivery", fresh_post.ref, {}, fp)
    own_ref = f"{post.feed_id}/{post.post_id}#"
    if fresh_copy is not None and not fresh_copy.ref.startswith(own_ref):
        return Verdict("exact_copy", fresh_copy.ref, {post_key(post): seen}, fp)
    if fresh_post is None and post_sketch is not None:
        best, score = None, 0.0
        for other in similar:
            if other.sketch is None or other.ref.startswith(own_ref) or _fresh(other, now, window) is None:
                continue
            s = resemblance(post_sketch, other.sketch)
            if s >= threshold and s > score:
                best, score = other, s
        if best is not None:
            return Verdict("near_copy", best.ref, {post_key(post): seen}, fp, score)
    outcome: Outcome = "edit" if fresh_post is not None else "new"
    # Only a post that passes is worth finding again: its own entry keeps the sketch, its anchors point there.
    writes = {post_key(post): replace(seen, sketch=post_sketch), copy_key(fp): seen}
    if post_sketch is not None:
        anchor = replace(seen, entry=post_key(post))
        writes.update(dict.fromkeys(anchor_keys(post_sketch), anchor))
    return Verdict(outcome, None, writes, fp)


Lookup = Callable[[str], object]


def judge(
    post: Post,
    *,
    lookup: Lookup,
    now: datetime,
    window: timedelta,
    threshold: float = NEAR_COPY_THRESHOLD,
    origin: str | None = None,
) -> Verdict:
    """Read what :func:`decide` needs through ``lookup`` (a table's ``get``) and decide.

    Pure apart from calling ``lookup``, which must not write. At most
    ``1 + 1 + 2 * ANCHORS`` reads per post.
    """
    fp = fingerprint(post)
    post_sketch = sketch(post)
    similar: list[Seen] = []
    entries: set[str] = set()
    for key in anchor_keys(post_sketch):
        anchor = _fresh(Seen.from_json(lookup(key)), now, window)
        if anchor is None or anchor.entry is None or anchor.entry in entries:
            continue
        entries.add(anchor.entry)
        entry = Seen.from_json(lookup(anchor.entry))
        if entry is not None and entry.sketch is not None:
            similar.append(entry)
    return decide(
        post,
        fp,
        same_post=Seen.from_json(lookup(post_key(post))),
        same_content=Seen.from_json(lookup(copy_key(fp))),
        now=now,
        window=window,
        post_sketch=post_sketch,
        similar=similar,
        threshold=threshold,
        origin=origin,
    )


def expired_partition(value: object, *, now: datetime, window: timedelta) -> int | None:
    """The partition of an entry older than the window, read from the record that wrote it.

    ``None`` when the entry is within the window, or when it does not say where it
    was written (unreadable, or without an origin): such an entry cannot be
    tombstoned on the right changelog partition, so it is left alone.
    """
    seen = Seen.from_json(value)
    if seen is None or seen.origin is None or now - seen.at <= window:
        return None
    parts = seen.origin.rsplit(":", 2)  # topic:partition:offset (Kafka topic names have no colon)
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None
