"""Subscriptions: named alert filters read from TOML, and which of them an alert matches.

A file looks like this (every filter is optional; a subscription with none
receives every alert; within one filter any listed value matches, and all the
given filters must match)::

    [subscriptions.kursk-front]
    places = ["Kursk"]              # the place or anywhere inside it (Sudzha is in Kursk)
    metrics = ["area_km2", "settlements", "control"]
    categories = ["territorial"]
    min_severity = "medium"         # low | medium | high
    sides = ["UA", "Russia"]        # who the source speaks for: ISO code or country name
    types = ["claim_update", "conflicting_claim"]

Pure: parsing takes the text, not the path, so the worker's reloader owns the I/O.
"""

from __future__ import annotations

import re
import tomllib
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from streams.errors import StreamsError
from streams.models import Alert, AlertType, Category, Metric, Severity
from streams.stages.places import locate, within

__all__ = ["InvalidSubscriptions", "Subscription", "matching_subscriptions", "parse_subscriptions"]

_NAME: Final = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_RANK: Final = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}


class InvalidSubscriptions(StreamsError):
    """The subscriptions file is not valid TOML or does not describe valid filters."""


class Subscription(BaseModel):
    """One named filter; its copies go to ``alerts.<name>``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    places: tuple[str, ...] = ()
    metrics: tuple[Metric, ...] = ()
    categories: tuple[Category, ...] = ()
    min_severity: Severity = Severity.LOW
    sides: tuple[str, ...] = Field(default=(), description="ISO alpha-2 codes (country names are resolved).")
    types: tuple[AlertType, ...] = ()

    @field_validator("sides", mode="before")
    @classmethod
    def _side_codes(cls, value: object) -> object:
        if not isinstance(value, list | tuple):
            return value
        codes = []
        for side in value:
            if isinstance(side, str) and len(side) == len("UA") and side.isalpha():
                codes.append(side.upper())
                continue
            where = locate(side) if isinstance(side, str) else None
            if where is None or where.region is not None:
                msg = f"side {side!r} is not a country code or country name"
                raise ValueError(msg)
            codes.append(where.country)
        return tuple(codes)

    def matches(self, alert: Alert) -> bool:
        """True when the alert passes every filter this subscription sets."""
        claim = alert.claim
        if self.places and not (claim.place and any(within(claim.place, area) for area in self.places)):
            return False
        if self.metrics and claim.metric not in self.metrics:
            return False
        if self.categories and not set(self.categories) & set(alert.categories):
            return False
        if _RANK[alert.severity] < _RANK[self.min_severity]:
            return False
        if self.sides and alert.source_side not in self.sides:
            return False
        return not (self.types and alert.type not in self.types)


def parse_subscriptions(text: str) -> tuple[Subscription, ...]:
    """Parse a subscriptions file's text into its named filters, in file order.

    Raises:
        InvalidSubscriptions: on bad TOML, an unknown key, a bad value or a name
            that cannot be part of a topic name; the message says where.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = f"not valid TOML: {exc}"
        raise InvalidSubscriptions(msg) from exc
    unknown = sorted(set(document) - {"subscriptions"})
    if unknown:
        msg = f"unknown top-level key(s) {unknown}: filters go under [subscriptions.<name>]"
        raise InvalidSubscriptions(msg)
    tables = document.get("subscriptions", {})
    if not isinstance(tables, dict):
        msg = "'subscriptions' must be a table of [subscriptions.<name>] tables"
        raise InvalidSubscriptions(msg)
    out = []
    for name, fields in tables.items():
        if not _NAME.match(name):
            msg = f"subscription name {name!r} must be lower-case letters, digits and '-' (it names a topic)"
            raise InvalidSubscriptions(msg)
        if not isinstance(fields, dict):
            msg = f"subscription {name!r} must be a table"
            raise InvalidSubscriptions(msg)
        try:
            out.append(Subscription(name=name, **fields))
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            msg = f"subscription {name!r}: {problems}"
            raise InvalidSubscriptions(msg) from exc
    return tuple(out)


def matching_subscriptions(alert: Alert, subscriptions: tuple[Subscription, ...]) -> list[str]:
    """Names of the subscriptions that want a copy of ``alert``, in file order."""
    return [s.name for s in subscriptions if s.matches(alert)]
