"""Errors raised by Livewire's stages and adapters.

::

    StreamsError                 base; ``retriable`` says whether trying again can help
    ├── InvalidMessage           bytes that do not decode or do not match the schema
    ├── StageError               a stage rejected a message that decoded fine
    └── TransientError           an adapter timed out or lost its peer (retriable)
"""

from __future__ import annotations

from typing import ClassVar


class StreamsError(Exception):
    """Base of every error Livewire raises on purpose."""

    retriable: ClassVar[bool] = False


class InvalidMessage(StreamsError):
    """The message does not decode, or does not match its schema."""


class StageError(StreamsError):
    """A stage rejected a message that decoded fine."""


class TransientError(StreamsError):
    """A temporary failure in an adapter; the same call may succeed later."""

    retriable: ClassVar[bool] = True
