"""Start and stop a worker process, and wait until it is ready: used by ``livewire run`` and tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from prometheus_client.parser import text_string_to_metric_families

MetricKey = tuple[str, tuple[tuple[str, str], ...]]
"""A sample's name and its labels, sorted: ``("streams_messages_total", (("outcome", "ok"), ("stage", "enrich")))``."""


def log_tail(path: Path, lines: int = 30) -> str:
    """The last lines of a child's log file, for error messages."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def stop_process_group(process: subprocess.Popen[bytes] | None, *, timeout: float = 30.0) -> None:
    """SIGTERM a child started in its own process group, SIGKILL the group if it does not exit in time."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def free_port() -> int:
    """A free TCP port on loopback (bound and released; the caller binds it next)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def scrape_metrics(url: str, *, timeout: float = 10.0) -> dict[MetricKey, float]:
    """Every sample on a worker's ``/metrics`` page (``url`` is the worker's base URL)."""
    with urllib.request.urlopen(f"{url}/metrics", timeout=timeout) as response:
        text = response.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@dataclass
class WorkerProcess:
    """One ``livewire worker`` child process, stopped by its own pid."""

    env: dict[str, str]
    log_path: Path
    web_port: int = field(default_factory=free_port)
    args: tuple[str, ...] = ("-m", "streams", "worker", "-l", "info")
    """What the child's Python runs (the bench runs its framework-floor app this way)."""
    process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None

    def start(self) -> None:
        """Launch the worker with this object's environment, logging to ``log_path``."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        env = {**os.environ, **self.env, "LIVEWIRE_WEB_PORT": str(self.web_port)}
        self.process = subprocess.Popen(
            [sys.executable, *self.args],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def url(self) -> str:
        """Base URL of the worker's web server."""
        return f"http://127.0.0.1:{self.web_port}"

    def wait_ready(self, *, timeout: float = 120.0) -> None:
        """Return when ``/readyz`` says ready; raise with the log's tail if the worker dies or times out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                msg = f"worker exited early (code {self.process and self.process.returncode}):\n{self.log_tail()}"
                raise RuntimeError(msg)
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)  # polling interval of a condition with a deadline, not a wait for time to pass
        msg = f"worker not ready after {timeout:.0f}s:\n{self.log_tail()}"
        raise RuntimeError(msg)

    def metrics(self) -> dict[MetricKey, float]:
        """The worker's ``/metrics`` samples (see scrape_metrics)."""
        return scrape_metrics(self.url)

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the worker's log."""
        return log_tail(self.log_path, lines)

    def stop(self, *, timeout: float = 30.0) -> None:
        """SIGTERM the worker's process group, SIGKILL it if it does not exit in time."""
        stop_process_group(self.process, timeout=timeout)
        if self._log is not None:
            self._log.close()
            self._log = None
