"""SubscriptionFile: re-read on change, a broken edit is logged and the last good version stays."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from streams.subscriptionfile import SubscriptionFile


def write(path: Path, text: str, stamp: int) -> None:
    path.write_text(text)
    # An explicit mtime: two writes within the clock's resolution must still look different.
    os.utime(path, ns=(stamp, stamp))


def test_reloads_on_change_and_keeps_last_good(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "subs.toml"
    write(path, '[subscriptions.a]\nplaces = ["Kursk"]\n', 1_000_000_000)
    subs = SubscriptionFile(path)
    assert subs.refresh() is True
    assert [s.name for s in subs.current] == ["a"]
    assert subs.refresh() is False  # unchanged file: not re-parsed

    write(path, "[subscriptions.a\n", 2_000_000_000)
    with caplog.at_level(logging.ERROR, logger="streams.subscriptionfile"):
        assert subs.refresh() is False
    assert [s.name for s in subs.current] == ["a"]
    assert subs.error is not None and "not valid TOML" in subs.error
    assert "rejected, keeping the last good one (1 subscriptions)" in caplog.text

    write(path, '[subscriptions.a]\n[subscriptions.b]\nmetrics = ["killed"]\n', 3_000_000_000)
    assert subs.refresh() is True
    assert [s.name for s in subs.current] == ["a", "b"]
    assert subs.error is None


def test_missing_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    subs = SubscriptionFile(tmp_path / "absent.toml")
    assert subs.refresh() is False
    assert subs.current == ()
    assert subs.error is not None and "absent.toml" in subs.error


def test_no_path_means_no_subscriptions() -> None:
    subs = SubscriptionFile(None)
    assert subs.refresh() is False
    assert subs.current == ()
    assert subs.error is None
