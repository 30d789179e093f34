"""Read-only HTTP views of the claim ledger (``/claims``, ``/claims/{key}``) and of ``/subscriptions``.

The ledger table is partitioned over the workers of the group, and each
worker's store can also hold standby copies of partitions it does not own.
So a worker answers only for the keys it owns, and:

- ``/claims/{key}`` is routed to the owner of the key's partition with
  faust's ``app.table_route`` (the owner answers; the others proxy);
- ``/claims?place=&metric=&actor=`` asks every worker that owns ledger
  partitions for its part (``local=1``) and merges the answers, so any worker
  gives the same JSON.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from yarl import URL

from streams import topics
from streams.agents import subscriptions
from streams.app import app
from streams.stages.ledger import select_histories
from streams.tablecodecs import decode_ledger

logger = logging.getLogger(__name__)

_PEER_TIMEOUT = aiohttp.ClientTimeout(total=10)


def _owned(key: bytes) -> bool:
    """This worker is the active owner of the key's ledger partition (not a standby holding a copy)."""
    try:
        owner = app.router.key_store(topics.claims_ledger.name, key)
    except KeyError:  # partition not assigned to anyone yet (rebalancing)
        return False
    return _ident(owner) == _ident(app.conf.canonical_url)


def _ident(url: URL) -> tuple[str, int]:
    return (url.host or "", int(url.port or 80))


def _local(query: dict[str, str]) -> list[dict[str, Any]]:
    ledger = ((key.decode(), decode_ledger(value)) for key, value in list(topics.claims_ledger.items()) if _owned(key))
    selected = select_histories(
        ledger, place=query.get("place") or None, metric=query.get("metric") or None, actor=query.get("actor") or None
    )
    return [item.model_dump(mode="json") for item in selected]


async def _from_peer(url: URL, query: dict[str, str]) -> list[dict[str, Any]]:
    target = url.with_path("/claims").with_query({**query, "local": "1"})
    async with app.http_client.get(target, timeout=_PEER_TIMEOUT) as response:
        response.raise_for_status()
        body: dict[str, Any] = await response.json()
    claims: list[dict[str, Any]] = body["claims"]
    return claims


@app.page("/claims")
async def claims_view(web: Any, request: Any) -> Any:
    """Current figure and latest history of every claim key matching ``place``, ``metric`` and ``actor``."""
    query = {name: request.query[name] for name in ("place", "metric", "actor") if request.query.get(name)}
    if request.query.get("local"):
        return web.json({"claims": _local(query)})
    me = _ident(app.conf.canonical_url)
    peers = [URL(host) for host in app.router.table_metadata(topics.claims_ledger.name)]
    peers = [peer for peer in peers if _ident(peer) != me]
    try:
        parts = await asyncio.gather(*(_from_peer(peer, query) for peer in peers))
    except (aiohttp.ClientError, TimeoutError, KeyError, ValueError) as exc:
        logger.warning("claims query: a worker did not answer: %s", exc)
        return web.json({"error": f"a worker holding part of the ledger did not answer: {exc}"}, status=503)
    claims = sorted([*_local(query), *(item for part in parts for item in part)], key=lambda item: item["key"])
    return web.json({"claims": claims, "workers": len(peers) + 1})


@app.page("/claims/{key}")
@app.table_route(table=topics.claims_ledger, match_info="key")
async def claim_view(web: Any, request: Any, key: str) -> Any:
    """One claim key's current figure and latest history, answered by the worker that owns it."""
    state = decode_ledger(topics.claims_ledger.get(key.encode()))
    if not state.history:
        return web.json({"error": f"no claim with key {key!r}"}, status=404)
    (item,) = select_histories([(key, state)])
    return web.json(item.model_dump(mode="json"))


@app.page("/subscriptions")
async def subscriptions_view(web: Any, request: Any) -> Any:
    """The subscriptions in force on this worker, and why the file was last rejected (if it was)."""
    if not subscriptions.checked:
        subscriptions.refresh()  # asked before the first timer tick
    body = {
        "file": str(subscriptions.path) if subscriptions.path else None,
        "subscriptions": [s.model_dump(mode="json") for s in subscriptions.current],
        "error": subscriptions.error,
    }
    return web.json(body)
