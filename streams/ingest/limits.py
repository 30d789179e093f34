"""Size limits at the edge: a post the worker would dead-letter for its size is refused before sending."""

from __future__ import annotations

from datetime import datetime

from streams.ingest.posts import Rejected, raw_record
from streams.models import Post


def split_oversized(posts: list[Post], *, max_bytes: int, now: datetime) -> tuple[list[Post], list[Rejected]]:
    """Split ``posts`` into those whose stamped encoding fits ``max_bytes`` and rejections for the rest.

    Pure: ``now`` stands in for the ``ingested_at`` stamp :func:`raw_record` adds when sending, so the size
    measured is the size the worker's validate stage will see (LIVEWIRE_MAX_MESSAGE_BYTES).
    """
    kept: list[Post] = []
    rejected: list[Rejected] = []
    for post in posts:
        size = len(raw_record(post, ingested_at=now)[1])
        if size > max_bytes:
            rejected.append(Rejected(f"post {post.post_id}", f"{size} bytes, over the {max_bytes}-byte limit"))
        else:
            kept.append(post)
    return kept, rejected
