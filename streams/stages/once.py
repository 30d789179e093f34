"""A value built on first use, once per process, that a loader may hand in ready-made.

The place gazetteers are built from packaged data on first use. The worker
builds them in a child process instead and installs the copy it receives
(``streams.preload``), so the large parse never touches the worker's own heap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

__all__ = ["Once"]


class Once(Generic[T]):
    """Call it for the value: built by ``build`` the first time, unless one was installed before."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._value: T | None = None

    def __call__(self) -> T:
        """The value, built now if nothing was built or installed yet."""
        if self._value is None:
            self._value = self._build()
        return self._value

    def build(self) -> T:
        """A fresh value, not kept (what a loader builds elsewhere to install here)."""
        return self._build()

    def install(self, value: T) -> None:
        """Use ``value`` from now on."""
        self._value = value
