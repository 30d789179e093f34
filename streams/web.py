"""The worker's HTTP views: /metrics for Prometheus, /healthz and /readyz for orchestrators."""

from __future__ import annotations

from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from streams import __version__
from streams.agents import observer
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
    """Ready: source partitions assigned, table recovery finished, broker answering."""
    readiness = await observer.readiness()
    return web.json(readiness.as_dict(), status=200 if readiness.ready else 503)
