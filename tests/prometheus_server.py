"""A real Prometheus server for tests: the Debian ``prometheus`` binary on a free loopback port.

The test run starts it with a generated config and its own storage directory
and stops it by its pid. A missing binary skips the test on a laptop and fails
it under ``CI=true`` (``make test`` installs the package there first).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

from streams.runner import free_port, log_tail, stop_process_group


def prometheus_binary() -> str:
    """Path of the ``prometheus`` binary, or skip (fail under CI) with the reason."""
    path = shutil.which("prometheus")
    if path:
        return path
    reason = "no `prometheus` binary on PATH (Debian package `prometheus`; `make sysdeps-prometheus` installs it)"
    if os.environ.get("CI", "").lower() in {"true", "1"}:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@dataclass
class PrometheusServer:
    """One Prometheus process scraping ``targets`` every second."""

    binary: str
    workdir: Path
    targets: list[str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        """Base URL of the HTTP API."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        """Where the server's output goes."""
        return self.workdir / "prometheus.log"

    def start(self) -> None:
        """Write the config and launch the server in its own process group."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "prometheus.yml"
        # JSON is YAML: no YAML writer needed.
        config.write_text(
            json.dumps(
                {
                    "global": {"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"},
                    "scrape_configs": [{"job_name": "livewire", "static_configs": [{"targets": self.targets}]}],
                }
            )
        )
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                self.binary,
                f"--config.file={config}",
                f"--storage.tsdb.path={self.workdir / 'data'}",
                f"--web.listen-address=127.0.0.1:{self.port}",
                "--log.level=warn",
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, *, timeout: float = 60.0) -> None:
        """Return once ``/-/ready`` answers 200; raise with the log if the server dies or times out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                msg = f"prometheus exited early:\n{self.log_tail()}"
                raise RuntimeError(msg)
            try:
                with urllib.request.urlopen(f"{self.url}/-/ready", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)  # polling interval of a condition with a deadline
        msg = f"prometheus not ready after {timeout:.0f}s:\n{self.log_tail()}"
        raise RuntimeError(msg)

    def query(self, promql: str) -> list[dict[str, Any]]:
        """Run an instant query through the HTTP API; return its vector (``[{metric, value}]``)."""
        url = f"{self.url}/api/v1/query?{urllib.parse.urlencode({'query': promql})}"
        with urllib.request.urlopen(url, timeout=10) as response:
            body = json.load(response)
        assert body["status"] == "success", body
        result: list[dict[str, Any]] = body["data"]["result"]
        return result

    def scalar(self, promql: str) -> float | None:
        """The single value of a query that yields one series, or None when it yields none."""
        result = self.query(promql)
        if not result:
            return None
        assert len(result) == 1, result
        return float(result[0]["value"][1])

    def wait_for(self, promql: str, check: Callable[[float | None], bool], *, timeout: float = 90.0) -> float | None:
        """Poll ``promql`` until ``check(value)`` holds; fail with the last value at the deadline."""
        deadline = time.monotonic() + timeout
        value = self.scalar(promql)
        while not check(value):
            if time.monotonic() > deadline:
                pytest.fail(f"{promql} is still {value} after {timeout:.0f}s")
            time.sleep(0.5)  # polling interval of a condition with a deadline
            value = self.scalar(promql)
        return value

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the server's log."""
        return log_tail(self.log_path, lines)

    def stop(self, *, timeout: float = 30.0) -> None:
        """SIGTERM the server's process group, SIGKILL it if it does not exit in time."""
        stop_process_group(self.process, timeout=timeout)
        if self._log is not None:
            self._log.close()
            self._log = None
