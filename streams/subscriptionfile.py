"""The subscriptions file as the worker sees it: re-read when it changes, last good version kept."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from streams.stages.subscriptions import InvalidSubscriptions, Subscription, parse_subscriptions

logger = logging.getLogger(__name__)


@dataclass
class SubscriptionFile:
    """Holds the subscriptions in force; :meth:`refresh` re-reads the file when its stamp changed.

    A file that cannot be read or parsed is rejected with an error in the log and
    the last good subscriptions stay in force (none, if it was never good).
    """

    path: Path | None
    current: tuple[Subscription, ...] = ()
    error: str | None = None
    checked: bool = False
    _stamp: tuple[int, int] | None = field(default=None, repr=False)

    def refresh(self) -> bool:
        """Re-read the file if it changed since the last look; True when the subscriptions changed."""
        self.checked = True
        if self.path is None:
            return False
        try:
            stat = self.path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            if stamp == self._stamp:
                return False
            self._stamp = stamp
            loaded = parse_subscriptions(self.path.read_text(encoding="utf-8"))
        except OSError as exc:
            self._stamp = None  # look again next time: the file may come back
            return self._reject(str(exc))
        except (UnicodeDecodeError, InvalidSubscriptions) as exc:
            return self._reject(str(exc))
        self.error = None
        changed = loaded != self.current
        self.current = loaded
        logger.info("subscriptions file %s loaded: %s", self.path, ", ".join(s.name for s in loaded) or "(none)")
        return changed

    def _reject(self, reason: str) -> bool:
        # A config mistake, not a bug: one clear line (no traceback), once per distinct problem.
        if reason != self.error:
            logger.error(
                "subscriptions file %s rejected, keeping the last good one (%d subscriptions): %s",
                self.path,
                len(self.current),
                reason,
            )
        self.error = reason
        return False
