"""The faust producer-buffer fix: a flush before an offset commit must leave nothing buffered."""

from __future__ import annotations

import asyncio
import contextlib
from types import SimpleNamespace
from typing import Any

from faust.transport.producer import ProducerBuffer

from streams import faustfixes

# Longer than faust's own 0.1 s give-up, so an unpatched flush returns with messages left.
SLOW_SEND_S = 0.25


async def _flush_slow_buffer(messages: int) -> int:
    """Buffer ``messages`` that each take SLOW_SEND_S to hand over, flush, and return how many are left."""
    buffer = ProducerBuffer()
    buffer.app = SimpleNamespace(conf=SimpleNamespace(producer_threaded=False))  # type: ignore[assignment]

    async def slow_send(_message: Any) -> None:
        await asyncio.sleep(SLOW_SEND_S)

    buffer._send_pending = slow_send  # type: ignore[method-assign]
    await buffer.start()
    try:
        for number in range(messages):
            buffer.put(number)  # type: ignore[arg-type]
        await buffer.flush()
        return buffer.size
    finally:
        # Stopping flushes again; faust's unpatched flush raises then if messages are left.
        with contextlib.suppress(RuntimeError):
            await buffer.stop()


def test_flush_drains_every_buffered_message_even_when_each_send_is_slow() -> None:
    faustfixes.apply()
    assert asyncio.run(_flush_slow_buffer(3)) == 0


def test_apply_is_idempotent() -> None:
    faustfixes.apply()
    faustfixes.apply()
    assert ProducerBuffer.flush is faustfixes.drain_fully  # type: ignore[comparison-overlap]
