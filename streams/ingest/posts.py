"""Turn outside formats (copied live-blog text, JSON Lines) into post events for ``posts.raw``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import orjson
from pydantic import ValidationError

from streams.errors import InvalidMessage
from streams.ingest.liveblog import chronological, parse_liveblog, post_id_for
from streams.models import Post, encode
from streams.stages.validate import validate

_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Rejected:
    """An input line or post that cannot be sent, and why."""

    where: str
    reason: str


def feed_id_for(title: str) -> str:
    """A stable feed id from a live blog's title (lower-case slug, at most 60 characters)."""
    return _SLUG.sub("-", title.casefold()).strip("-")[:60] or "liveblog"


def posts_from_text(
    text: str, *, source: str, feed_id: str | None, newest_first: bool = True
) -> tuple[list[Post], list[Rejected]]:
    """Parse a copied live blog into posts, oldest first, with stable ids and ``seq``.

    Pure: re-parsing the same text gives the same ids.
    """
    blog = parse_liveblog(text, newest_first=newest_first)
    feed = feed_id or feed_id_for(blog.title)
    posts: list[Post] = []
    rejected: list[Rejected] = []
    for seq, parsed in enumerate(chronological(blog, newest_first=newest_first)):
        if not parsed.headline.strip():
            rejected.append(Rejected(f"post {parsed.index}", "no headline"))
            continue
        try:
            post = Post(
                source=source,
                feed_id=feed,
                post_id=post_id_for(feed, parsed),
                seq=seq,
                title=parsed.headline,
                body=parsed.body,
                feed_title=blog.title or None,
            )
        except ValidationError as exc:  # e.g. a page with no headline read as one post too long to send
            reasons = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            rejected.append(Rejected(f"post {parsed.index} ({parsed.headline[:60]!r})", reasons))
            continue
        posts.append(post)
    return posts, rejected


def posts_from_jsonl(lines: Iterator[bytes], *, max_bytes: int, now: datetime) -> Iterator[Post | Rejected]:
    """Validate each JSON line as a post (the worker's own validate stage); blank lines are skipped."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield validate(line.strip(), max_bytes=max_bytes, now=now)
        except InvalidMessage as exc:
            yield Rejected(f"line {number}", str(exc))


def raw_record(post: Post, *, ingested_at: datetime) -> tuple[bytes, bytes]:
    """The ``posts.raw`` key and value of ``post``, stamped with when Livewire ingested it.

    Keyed by feed id, so one live blog keeps its order on one partition. Pure:
    the CLI and the HTTP endpoint both produce exactly this.
    """
    stamped = post.model_copy(update={"ingested_at": ingested_at})
    return post.feed_id.encode(), encode(stamped)


def looks_like_jsonl(head: bytes) -> bool:
    """True when the input starts with a JSON object (else it is read as live-blog text)."""
    stripped = head.lstrip()
    if not stripped.startswith(b"{"):
        return False
    first = stripped.split(b"\n", 1)[0]
    try:
        return isinstance(orjson.loads(first), dict)
    except orjson.JSONDecodeError:
        return False
