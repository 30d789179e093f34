"""SASL/SCRAM-SHA-512 over TLS on a real broker: the worker and CLI get in with credentials, nobody else does."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import orjson
import pytest
from kafka import KafkaProducer
from kafka.errors import KafkaTimeoutError, TopicAuthorizationFailedError

from streams.kafkaio import ensure_topics, producing, read_topic
from streams.runner import WorkerProcess
from tests.conftest import make_post
from tests.security.conftest import NO_ACL_USER, WORKER_USER
from tests.security.secure_broker import grant_prefix

pytestmark = [pytest.mark.integration]

# A client that cannot get in gives up after this long instead of kafka-python's 30 s.
_REFUSAL_TIMEOUT_MS = 4000


def _client_env(broker, prefix: str) -> dict[str, str]:
    return {
        "LIVEWIRE_BROKER": broker.bootstrap,
        "LIVEWIRE_SECURITY_PROTOCOL": "SASL_SSL",
        "LIVEWIRE_SASL_USERNAME": WORKER_USER,
        "LIVEWIRE_SSL_CAFILE": str(broker.tls.ca),
        "LIVEWIRE_APP_ID": prefix,
        "LIVEWIRE_TOPIC_PREFIX": f"{prefix}.",
        "LIVEWIRE_PARTITIONS": "1",
    }


def test_worker_and_cli_with_credentials_enrich_a_post_end_to_end(secure_broker, tmp_path):
    prefix = f"sec-{uuid.uuid4().hex[:8]}"
    grant_prefix(secure_broker, WORKER_USER, prefix)
    password = secure_broker.passwords[WORKER_USER]
    secret_file = tmp_path / "sasl-password"
    secret_file.write_text(password + "\n")
    secret_file.chmod(0o600)
    env = _client_env(secure_broker, prefix)
    # The worker reads its password from a secret file, the CLI from the environment: both ways are covered.
    worker = WorkerProcess(
        env={**env, "LIVEWIRE_SASL_PASSWORD_FILE": str(secret_file), "LIVEWIRE_DATA_DIR": str(tmp_path / "worker")},
        log_path=tmp_path / "worker.log",
    )
    post = make_post(feed_id=f"{prefix}-feed", post_id=f"{prefix}-post")
    worker.start()
    try:
        worker.wait_ready(timeout=180)
        ingest = subprocess.run(
            [sys.executable, "-m", "streams", "ingest", "-"],
            input=post.model_dump_json().encode() + b"\n",
            env={**os.environ, **env, "LIVEWIRE_SASL_PASSWORD": password},
            capture_output=True,
            timeout=120,
            check=False,
        )
        cli_output = (ingest.stdout + ingest.stderr).decode(errors="replace")
        assert ingest.returncode == 0, cli_output
        assert f"sent 1 posts to {prefix}.posts.raw" in cli_output

        enriched = []
        deadline = time.monotonic() + 120
        while not enriched and time.monotonic() < deadline:
            records = read_topic(
                secure_broker.bootstrap,
                f"{prefix}.posts.enriched",
                from_beginning=True,
                idle_timeout=2,
                security=secure_broker.security(WORKER_USER),
            )
            enriched = [orjson.loads(r.value or b"") for r in records]
        assert [e["post"]["post_id"] for e in enriched] == [post.post_id]
    finally:
        worker.stop()
    worker_log = worker.log_path.read_text(errors="replace")
    # aiokafka logs each SCRAM login: the worker really authenticated, and this is the log it wrote.
    assert f"Authenticated as {WORKER_USER} via SCRAM-SHA-512" in worker_log
    assert password not in worker_log
    assert password not in cli_output


@pytest.mark.parametrize(
    ("protocol", "broker_says"),
    [
        ("PLAINTEXT", "(SSL handshake failed)"),
        # Trusts the broker's certificate but skips SASL: gets no further than a plaintext client.
        ("SSL", "Unexpected Kafka request of type METADATA during SASL handshake"),
    ],
)
def test_client_without_credentials_is_refused(secure_broker, protocol, broker_says):
    refusals_before = secure_broker.log_count(broker_says)
    tls = {"ssl_cafile": str(secure_broker.tls.ca)} if protocol == "SSL" else {}
    with pytest.raises(KafkaTimeoutError, match="Unable to bootstrap"):
        KafkaProducer(
            bootstrap_servers=[secure_broker.bootstrap],
            security_protocol=protocol,
            bootstrap_timeout_ms=_REFUSAL_TIMEOUT_MS,
            **tls,
        )
    assert secure_broker.log_count(broker_says) > refusals_before


def test_wrong_password_is_refused_by_scram(secure_broker):
    broker_says = "due to invalid credentials with SASL mechanism SCRAM-SHA-512"
    refusals_before = secure_broker.log_count(broker_says)
    config = secure_broker.security(WORKER_USER, password="not-the-password").kafka_python()
    with pytest.raises(KafkaTimeoutError, match="Unable to bootstrap"):
        KafkaProducer(bootstrap_servers=[secure_broker.bootstrap], bootstrap_timeout_ms=_REFUSAL_TIMEOUT_MS, **config)
    assert secure_broker.log_count(broker_says) > refusals_before


def test_user_without_acl_is_refused_topic_access(secure_broker):
    prefix = f"sec-{uuid.uuid4().hex[:8]}"
    grant_prefix(secure_broker, WORKER_USER, prefix)
    topic = f"{prefix}.posts.raw"
    ensure_topics(
        secure_broker.bootstrap,
        [topic],
        partitions=1,
        replication_factor=1,
        security=secure_broker.security(WORKER_USER),
    )
    denied = f"Principal = User:{NO_ACL_USER} is Denied operation"
    denials_before = secure_broker.log_count(denied)
    with (
        pytest.raises(TopicAuthorizationFailedError),
        producing(secure_broker.bootstrap, security=secure_broker.security(NO_ACL_USER)) as producer,
    ):
        producer.send(topic, key=b"k", value=make_post().model_dump_json().encode()).get(timeout=30)
    assert secure_broker.log_count(denied) > denials_before
    # The same send with the ACL goes through, so the refusal above was the ACL and nothing else.
    with producing(secure_broker.bootstrap, security=secure_broker.security(WORKER_USER)) as producer:
        metadata = producer.send(topic, key=b"k", value=make_post().model_dump_json().encode()).get(timeout=30)
    assert metadata.topic == topic
