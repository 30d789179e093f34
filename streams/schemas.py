"""JSON Schemas of the wire records, generated from :mod:`streams.models`.

``schemas/*.json`` is written by :func:`export` and compared by :func:`check`;
a unit test fails when the committed files drift from the models.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from streams.models import Alert, ClaimEvent, DuplicatePost, EnrichedPost, Post


class DeadLetterHeaders(BaseModel):
    """Headers of a dead-letter record.

    The record value is the original message bytes, unchanged; these fields are
    carried as Kafka headers named ``dlq.stage``, ``dlq.source.topic``,
    ``dlq.source.partition``, ``dlq.source.offset``, ``dlq.error.class``,
    ``dlq.error.message``, ``dlq.retriable`` and ``dlq.failed_at``.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    stage: str = Field(description="Header dlq.stage: the stage that failed.")
    source_topic: str = Field(description="Header dlq.source.topic: where the message was read.")
    source_partition: int = Field(ge=0, description="Header dlq.source.partition.")
    source_offset: int = Field(ge=0, description="Header dlq.source.offset.")
    error_class: str = Field(description="Header dlq.error.class: the exception's class name.")
    error_message: str = Field(description="Header dlq.error.message: the reason, possibly truncated.")
    retriable: bool = Field(description="Header dlq.retriable: whether trying again can help.")
    failed_at: datetime = Field(description="Header dlq.failed_at: when the stage gave up (RFC 3339).")


SCHEMAS: dict[str, type[BaseModel]] = {
    "post.v1": Post,
    "enriched-post.v1": EnrichedPost,
    "claim-event.v1": ClaimEvent,
    "alert.v1": Alert,
    "duplicate-post.v1": DuplicatePost,
    "dead-letter.v1": DeadLetterHeaders,
}
"""File stem (``schemas/<stem>.json``) to the model it describes."""


def render(name: str) -> str:
    """The JSON Schema text of ``SCHEMAS[name]``: sorted keys, two-space indent, final newline."""
    return json.dumps(SCHEMAS[name].model_json_schema(), indent=2, sort_keys=True) + "\n"


def export(directory: Path) -> list[Path]:
    """Write every schema into ``directory`` (created if missing) and return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = directory / f"{name}.json"
        path.write_text(render(name), encoding="utf-8")
        written.append(path)
    return written


def check(directory: Path) -> list[str]:
    """Names of the schema files in ``directory`` that are missing or differ from the models."""
    stale = []
    for name in SCHEMAS:
        path = directory / f"{name}.json"
        if not path.is_file() or path.read_text(encoding="utf-8") != render(name):
            stale.append(path.name)
    return stale
