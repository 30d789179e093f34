"""The worker's HTTP views: /metrics for Prometheus, /healthz and /readyz for orchestrators."""

from __future__ import annotations

from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from streams import __version__
from streams.app import app


@app.page("/metrics")
async def metrics_view(web: Any, request: Any) -> Any:
    """Prometheus text exposition of the default registry."""
    # aiohttp refuses a charset inside content_type=, so the full header goes in headers.
    return web.bytes(generate_latest(REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST})


@app.page("/healthz")
async def health_view(web: Any, request: Any) -> Any:
    """Alive: the event loop answers."""
    return web.json({"status": "ok", "version": __version__})


@app.page("/readyz")
async def ready_view(web: Any, request: Any) -> Any:
    """Ready: partitions assigned and table recovery finished."""
    assigned = sorted(f"{tp.topic}:{tp.partition}" for tp in app.consumer.assignment())
    recovered = app.tables.recovery.completed.is_set()  # type: ignore[attr-defined]  # not in faust's stubs
    ready = bool(assigned) and recovered
    body = {"ready": ready, "assigned": len(assigned), "recovered": recovered, "version": __version__}
    return web.json(body, status=200 if ready else 503)
