"""Settings: one frozen model read from ``LIVEWIRE_*`` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def normalise_broker(value: str) -> str:
    """Turn ``host:port``, ``kafka://host:port`` or a comma list into ``host:port[,host:port]``.

    Raises:
        ValueError: when an entry has no port, or credentials are embedded in it.
    """
    hosts = []
    for raw in value.split(","):
        entry = raw.strip().removeprefix("kafka://").rstrip("/")
        if not entry:
            continue
        if "@" in entry:
            # faust prints the broker URL at start-up; credentials belong in settings.
            msg = "broker address must not carry credentials; use LIVEWIRE_SASL_* settings"
            raise ValueError(msg)
        host, sep, port = entry.rpartition(":")
        if not sep or not host or not port.isdigit():
            msg = f"broker address {entry!r} is not host:port"
            raise ValueError(msg)
        hosts.append(entry)
    if not hosts:
        msg = "broker address is empty"
        raise ValueError(msg)
    return ",".join(hosts)


class Settings(BaseSettings):
    """Everything a worker or command needs to know, from ``LIVEWIRE_*`` variables."""

    model_config = SettingsConfigDict(env_prefix="LIVEWIRE_", frozen=True, extra="ignore")

    broker: str | None = None
    """Kafka bootstrap ``host:port[,host:port]`` (LIVEWIRE_BROKER); unset means: start a local Kafka."""

    app_id: str = "livewire"
    """faust application id: the consumer group and the prefix of table changelogs (LIVEWIRE_APP_ID)."""

    topic_prefix: str = ""
    """Prefix for every topic name, to run isolated pipelines on one broker (LIVEWIRE_TOPIC_PREFIX)."""

    partitions: int = Field(default=4, ge=1, le=1024)
    """Partitions of every topic the project creates (LIVEWIRE_PARTITIONS)."""

    replication_factor: int = Field(default=1, ge=1, le=5)
    """Replication factor of the topics the project creates (LIVEWIRE_REPLICATION_FACTOR)."""

    store: str = "memory://"
    """faust table store: ``memory://`` (rebuilt from changelogs) or ``rocksdb://`` (LIVEWIRE_STORE)."""

    web_host: str = "127.0.0.1"
    """Address of the worker's HTTP server: /metrics, /healthz, /readyz (LIVEWIRE_WEB_HOST)."""

    web_port: int = Field(default=6066, ge=0, le=65535)
    """Port of the worker's HTTP server (LIVEWIRE_WEB_PORT)."""

    data_dir: Path = Path(".state/worker")
    """Where faust keeps its local data (LIVEWIRE_DATA_DIR)."""

    max_message_bytes: int = Field(default=256 * 1024, ge=1024)
    """Raw posts larger than this go to the dead-letter topic (LIVEWIRE_MAX_MESSAGE_BYTES)."""

    dedupe_window_hours: float = Field(default=48.0, gt=0)
    """How long a post's fingerprint is remembered for dedupe (LIVEWIRE_DEDUPE_WINDOW_HOURS)."""

    ledger_window_hours: float = Field(default=720.0, gt=0)
    """How long a claim key is kept after its last claim (LIVEWIRE_LEDGER_WINDOW_HOURS): an idle key is
    forgotten, and its next claim is a new claim again."""

    dedupe_max_entries: int = Field(default=60_000, ge=100)
    """Most dedupe entries kept, the newest (about six per new post): bounds memory when more posts arrive
    within the window than it can hold (LIVEWIRE_DEDUPE_MAX_ENTRIES)."""

    session_timeout_s: float = Field(default=30.0, ge=6.0, le=300.0)
    """Seconds without a heartbeat before the group gives a dead worker's partitions to the others
    (LIVEWIRE_SESSION_TIMEOUT_S); faust's own default, 60, doubles the failover time."""

    ingest_token: SecretStr | None = None
    """Bearer token that ``POST /posts`` requires (LIVEWIRE_INGEST_TOKEN); unset disables HTTP ingest."""

    ledger_batch_max: int = Field(default=200, ge=1, le=10_000)
    """Claim events track_claims takes at once: their alerts are acknowledged together (LIVEWIRE_LEDGER_BATCH_MAX)."""

    ledger_batch_seconds: float = Field(default=0.01, gt=0.0, le=5.0)
    """Longest wait for a ledger batch to fill: added latency at low load (LIVEWIRE_LEDGER_BATCH_SECONDS)."""

    debug_ledger_delay_s: float = Field(default=0.0, ge=0.0, le=10.0)
    """Fault tests only: pause before each claim in track_claims, a slow downstream (LIVEWIRE_DEBUG_LEDGER_DELAY_S)."""

    debug_ledger_fail_batches: int = Field(default=0, ge=0, le=100)
    """Fault tests only: the first N ledger batches fail after their alerts went out
    (LIVEWIRE_DEBUG_LEDGER_FAIL_BATCHES)."""

    security_protocol: Literal["PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    """How every client reaches Kafka: ``PLAINTEXT`` or ``SASL_SSL`` (SCRAM over TLS) (LIVEWIRE_SECURITY_PROTOCOL)."""

    sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256"] = "SCRAM-SHA-512"
    """SCRAM variant the broker's users were created with (LIVEWIRE_SASL_MECHANISM)."""

    subscriptions: Path | None = None
    """TOML file of named alert filters routed to ``alerts.<name>`` (LIVEWIRE_SUBSCRIPTIONS); re-read on change."""

    subscriptions_check_seconds: float = Field(default=5.0, gt=0)
    """How often the worker looks for a changed subscriptions file (LIVEWIRE_SUBSCRIPTIONS_CHECK_SECONDS)."""

    sasl_username: str | None = None
    """SASL/SCRAM user, used with ``SASL_SSL`` (LIVEWIRE_SASL_USERNAME)."""

    sasl_password: SecretStr | None = None
    """SASL/SCRAM password (LIVEWIRE_SASL_PASSWORD); never logged."""

    sasl_password_file: Path | None = None
    """File holding the SASL/SCRAM password, e.g. a mounted secret (LIVEWIRE_SASL_PASSWORD_FILE)."""

    ssl_cafile: Path | None = None
    """PEM file of the CA that signed the broker's certificate; unset: the system's CAs (LIVEWIRE_SSL_CAFILE)."""

    @field_validator("broker")
    @classmethod
    def _check_broker(cls, value: str | None) -> str | None:
        return None if value is None or not value.strip() else normalise_broker(value)

    @property
    def broker_url(self) -> str:
        """The broker as faust wants it: ``kafka://host:port;host:port``."""
        if self.broker is None:
            msg = "no broker configured: set LIVEWIRE_BROKER=host:port or run `livewire kafka start`"
            raise ValueError(msg)
        return ";".join(f"kafka://{host}" for host in self.broker.split(","))
