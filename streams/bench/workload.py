"""The bench workload: ≈1 KB posts built from the development-set live blogs, with varied names and figures.

Each generated post joins a few consecutive posts of one dev-set blog, then swaps
the people and places the blog's gold annotations name for others, and scales
every figure, so the entity, figure and claim stages see fresh text and the
claim ledger sees real updates. A few posts per hundred are re-deliveries,
copies under another feed, or edits (a new revision), so dedupe does real
work too. Seeded: the same arguments give the same posts.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final, Literal

import orjson

from streams.ingest.posts import posts_from_text

DEVSET: Final = Path(__file__).resolve().parents[2] / "tests" / "data" / "devset"

# Invented names, so the entity stage meets people it has never seen.
_FIRST: Final = [
    "Amara",
    "Bogdan",
    "Carmen",
    "Dmitri",
    "Elif",
    "Farid",
    "Greta",
    "Hamid",
    "Ines",
    "Jonas",
    "Kalinda",
    "Lucas",
    "Mirela",
    "Nadia",
    "Oskar",
    "Priya",
    "Quentin",
    "Rosa",
    "Stefan",
    "Tamar",
    "Umar",
    "Vera",
    "Wiktor",
    "Yusuf",
    "Zofia",
    "Anton",
    "Beatriz",
    "Cyril",
    "Dalia",
    "Emil",
]
_LAST: Final = [
    "Abernathy",
    "Brankovic",
    "Castellano",
    "Dragomir",
    "Eriksen",
    "Fontaine",
    "Grabowski",
    "Haddad",
    "Ivanova",
    "Jovanovic",
    "Kowalczyk",
    "Lindqvist",
    "Moreau",
    "Novak",
    "Okonkwo",
    "Petrova",
    "Quiroga",
    "Rasmussen",
    "Sokolova",
    "Tanaka",
    "Urbanski",
    "Vasquez",
    "Weller",
    "Yilmaz",
]
_NUMBER: Final = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w,]\d)")
_TARGET_BODY_CHARS: Final = 700

Kind = Literal["new", "redelivery", "copy", "edit"]


@dataclass(frozen=True)
class BenchPost:
    """One generated post: its partition key, its JSON fields, and what dedupe should make of it."""

    key: bytes
    fields: dict[str, Any]
    kind: Kind

    def encode(self, *, ingested_at: datetime | None = None) -> bytes:
        """The ``posts.raw`` bytes, optionally stamped with an ingest time (for latency)."""
        if ingested_at is None:
            return orjson.dumps(self.fields)
        return orjson.dumps({**self.fields, "ingested_at": ingested_at.isoformat()})


@dataclass(frozen=True)
class _Blog:
    slug: str
    posts: list[tuple[str, str]]
    people: list[str]
    places: list[str]


def _gold_names(gold: Path, kind: str) -> list[str]:
    data = json.loads(gold.read_text())
    names = {e["text"] for post in data["posts"] for e in post.get("entities", []) if e.get("type") == kind}
    # Longest first (so "Kursk region" is swapped before "Kursk"), then by name: a set's
    # order changes with each process's string hashing, and the workload must not.
    return sorted(names, key=lambda name: (-len(name), name))


def load_blogs(devset: Path = DEVSET) -> list[_Blog]:
    """Parse every dev-set blog (text + gold annotations) into posts and the names it uses."""
    blogs = []
    for text_file in sorted(devset.glob("*.txt")):
        gold = text_file.with_name(text_file.stem + ".gold.json")
        posts, _ = posts_from_text(text_file.read_text(), source="bench", feed_id=text_file.stem)
        people = _gold_names(gold, "PERSON") if gold.is_file() else []
        places = _gold_names(gold, "PLACE") if gold.is_file() else []
        blogs.append(_Blog(text_file.stem, [(p.title, p.body) for p in posts if p.body], people, places))
    if not blogs:
        msg = f"no dev-set blogs in {devset}"
        raise FileNotFoundError(msg)
    return blogs


def _scaled(match: re.Match[str], rng: random.Random) -> str:
    text = match.group(1)
    plain = text.replace(",", "")
    if "." not in plain and 1900 <= int(plain) <= 2100 and "," not in text:
        return text  # a year: scaling it would only make noise
    value = float(plain) * rng.uniform(0.5, 2.0)
    if "." in plain:
        return f"{value:.1f}"
    number = max(1, round(value))
    return f"{number:,}" if "," in text or number >= 10_000 else str(number)


class _Varier:
    """Swaps a blog's people and places for others, and scales its figures."""

    def __init__(self, blogs: list[_Blog], rng: random.Random) -> None:
        self._rng = rng
        self._all_places = sorted({p for b in blogs for p in b.places})
        self._patterns = {
            # (?<!\w)/(?!\w), not \b: a name may end in a full stop ("Yassin B."), where \b needs a letter next.
            b.slug: re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in (*b.people, *b.places)))
            for b in blogs
            if b.people or b.places
        }

    def vary(self, blog: _Blog, text: str) -> str:
        rng = self._rng
        swap: dict[str, str] = {}
        for person in blog.people:
            swap[person] = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        for place in blog.places:
            if rng.random() < 0.5 and self._all_places:
                swap[place] = rng.choice(self._all_places)
        pattern = self._patterns.get(blog.slug)
        if pattern is not None:
            text = pattern.sub(lambda m: swap.get(m.group(0), m.group(0)), text)
        return _NUMBER.sub(lambda m: _scaled(m, rng), text)


def generate(
    count: int,
    *,
    seed: int = 7,
    feeds_per_blog: int = 8,
    start: datetime,
    step: float = 1.0,
    duplicate_share: float = 0.08,
    id_prefix: str = "p",
) -> Iterator[BenchPost]:
    """Yield ``count`` posts, ``published_at`` rising from ``start`` by ``step`` seconds.

    About ``duplicate_share`` of them are re-deliveries, cross-feed copies or
    edits of a recent post (a third each); the rest are new.
    """
    rng = random.Random(seed)
    blogs = load_blogs()
    varier = _Varier(blogs, rng)
    recent: list[BenchPost] = []
    for i in range(count):
        published = (start + timedelta(seconds=i * step)).isoformat()
        roll = rng.random()
        if recent and roll < duplicate_share:
            earlier = rng.choice(recent)
            third = duplicate_share / 3
            if roll < third:
                post = BenchPost(earlier.key, earlier.fields, "redelivery")
            elif roll < 2 * third:
                blog = rng.choice(blogs)
                feed = f"bench-{blog.slug}-{rng.randrange(feeds_per_blog)}"
                fields = {**earlier.fields, "feed_id": feed, "post_id": f"{id_prefix}{i}", "published_at": published}
                post = BenchPost(feed.encode(), fields, "copy")
            else:
                body = _NUMBER.sub(lambda m: _scaled(m, rng), earlier.fields["body"], count=1)
                revision = int(earlier.fields.get("revision", 1)) + 1
                fields = {**earlier.fields, "body": body, "revision": revision, "published_at": published}
                post = BenchPost(earlier.key, fields, "edit")
        else:
            post = _new_post(rng, varier, blogs, i, published, feeds_per_blog, id_prefix)
        if post.kind in ("new", "edit"):
            recent.append(post)
            if len(recent) > 500:
                recent.pop(0)
        yield post


def _new_post(
    rng: random.Random,
    varier: _Varier,
    blogs: list[_Blog],
    i: int,
    published: str,
    feeds_per_blog: int,
    id_prefix: str,
) -> BenchPost:
    blog = blogs[i % len(blogs)]
    first = rng.randrange(len(blog.posts))
    title, body = blog.posts[first]
    paragraphs = [body]
    step = 1
    while sum(len(p) for p in paragraphs) < _TARGET_BODY_CHARS and step < len(blog.posts):
        paragraphs.append(blog.posts[(first + step) % len(blog.posts)][1])
        step += 1
    varied = varier.vary(blog, f"{title}\n\n\n" + "\n\n".join(paragraphs))
    title, _, body = varied.partition("\n\n\n")
    feed = f"bench-{blog.slug}-{rng.randrange(feeds_per_blog)}"
    fields = {
        "source": "livewire-bench",
        "feed_id": feed,
        "post_id": f"{id_prefix}{i}",
        "published_at": published,
        "title": title,
        "body": body,
    }
    return BenchPost(feed.encode(), fields, "new")


def describe(posts: list[BenchPost]) -> dict[str, Any]:
    """Mean size in bytes and the share of each kind, for the report."""
    sizes = [len(p.encode()) for p in posts]
    kinds = Counter(p.kind for p in posts)
    return {
        "posts": len(posts),
        "mean_bytes": round(sum(sizes) / max(1, len(sizes))),
        "kinds": dict(sorted(kinds.items())),
    }
