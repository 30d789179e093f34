"""The faust application, built once from :class:`~streams.settings.Settings`."""

from __future__ import annotations

import faust

from streams import faustfixes
from streams.security import kafka_security
from streams.settings import Settings

# Used only so that modules can be imported (extract, schemas, tests) without a
# broker; the worker command refuses to start when no broker is configured.
_UNCONFIGURED_BROKER = "kafka://127.0.0.1:9092"
METADATA_MAX_AGE_MS = 15_000


def create_app(settings: Settings) -> faust.App:
    """Build the faust App with every value passed explicitly (faust's env vars are not read)."""
    faustfixes.apply()
    return faust.App(
        settings.app_id,
        version=1,
        broker=settings.broker_url if settings.broker else _UNCONFIGURED_BROKER,
        # SASL/SCRAM over TLS when configured; credentials never go into the broker URL faust prints.
        broker_credentials=kafka_security(settings).faust_credentials(),
        store=settings.store,
        datadir=str(settings.data_dir),
        autodiscover=["streams.agents", "streams.web", "streams.webingest", "streams.livepage", "streams.ledger_views"],
        origin="streams",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        # at-least-once: outputs are idempotent by id, so a replay after a crash is harmless.
        processing_guarantee="at_least_once",
        producer_acks=-1,
        # JSON compresses well and the ledger and story changelogs rewrite whole values: lz4 cuts the
        # bytes the worker produces about fivefold (docs/performance.md) for no measurable CPU; a 5 ms
        # linger lets a post's outputs share produce requests.
        producer_compression_type="lz4",
        producer_linger=0.005,
        consumer_auto_offset_reset="earliest",
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_enabled=True,
        web_in_thread=False,
        table_cleanup_interval=60.0,
        # Keeps agents strictly ordered per partition: concurrency>1 can commit past in-flight events.
        stream_wait_empty=True,
        broker_max_poll_records=500,
        broker_session_timeout=settings.session_timeout_s,
        # aiokafka refreshes metadata only every 5 minutes unless a topic is new to it; a topic
        # that was missing from one answer (created a moment later) would stay unfetched that long.
        consumer_metadata_max_age_ms=METADATA_MAX_AGE_MS,
        producer_metadata_max_age_ms=METADATA_MAX_AGE_MS,
        producer_max_request_size=2 * settings.max_message_bytes,
        consumer_max_fetch_size=4 * settings.max_message_bytes,
        loghandlers=[],
        id_format="{id}",
        debug=False,
    )


settings = Settings()
app = create_app(settings)
