"""The framework floor: a faust app whose one agent forwards bytes from one topic to another.

Run as its own process (``python -m streams.bench.floor worker``) with
``BENCH_FLOOR_*`` variables. Its settings mirror :func:`streams.app.create_app`
(at-least-once, acks from every replica, concurrency 1, 500 records a poll), so
the gap between this row and the pipeline row is Livewire's own cost.
"""

from __future__ import annotations

import os
from typing import Any

import faust


def build() -> faust.App:
    """The floor app, from ``BENCH_FLOOR_*`` variables.

    Built on demand, not at import: the worker's faust autodiscovery scans the
    whole ``streams`` package, and an import that needs these variables would
    log a traceback in every worker.
    """
    broker = os.environ["BENCH_FLOOR_BROKER"]
    app = faust.App(
        os.environ["BENCH_FLOOR_APP_ID"],
        broker=";".join(f"kafka://{host}" for host in broker.split(",")),
        store="memory://",
        datadir=os.environ["BENCH_FLOOR_DATA_DIR"],
        processing_guarantee="at_least_once",
        producer_acks=-1,
        consumer_auto_offset_reset="earliest",
        web_host="127.0.0.1",
        web_port=int(os.environ["LIVEWIRE_WEB_PORT"]),  # set by streams.runner.WorkerProcess
        stream_wait_empty=True,
        broker_max_poll_records=500,
        loghandlers=[],
        topic_allow_declare=False,
    )
    source = app.topic(
        os.environ["BENCH_FLOOR_SOURCE"], key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw"
    )
    sink = app.topic(
        os.environ["BENCH_FLOOR_SINK"], key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw"
    )

    @app.agent(source, concurrency=1)
    async def forward(stream: faust.StreamT[bytes]) -> None:
        """Send every event's bytes on, unchanged, with its key: what any faust pipeline pays per event."""
        async for event in stream.events():
            await sink.send(key=event.key, value=event.value)

    @app.page("/readyz")
    async def ready_view(web: Any, request: Any) -> Any:
        """Ready once partitions are assigned."""
        assigned = len(app.consumer.assignment())
        return web.json({"ready": assigned > 0, "assigned": assigned}, status=200 if assigned else 503)

    return app


if __name__ == "__main__":
    build().main()
