"""Secrets stay out of logs: settings errors, reprs, and kafka-python's DEBUG dump of its configuration."""

from __future__ import annotations

import logging
import uuid

import pytest
from click.testing import CliRunner
from pydantic import SecretStr

from streams.cli import main
from streams.kafkaio import ensure_topics
from streams.security import PLAINTEXT, REDACTED, SecurityConfigError, kafka_security, redact_from_logs
from streams.settings import Settings
from tests.security.conftest import WORKER_USER
from tests.security.secure_broker import grant_prefix


def _secured(**overrides) -> Settings:
    fields = {"security_protocol": "SASL_SSL", "sasl_username": "svc"}
    fields.update(overrides)
    return Settings(**fields)


def test_plaintext_without_credentials_is_the_default():
    assert kafka_security(Settings()) is PLAINTEXT
    assert PLAINTEXT.kafka_python() == {"security_protocol": "PLAINTEXT"}
    assert PLAINTEXT.faust_credentials() is None


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"sasl_username": "svc", "sasl_password": "pw-abc"}, "set but LIVEWIRE_SECURITY_PROTOCOL is PLAINTEXT"),
        ({"security_protocol": "SASL_SSL", "sasl_password": "pw-abc"}, "needs LIVEWIRE_SASL_USERNAME"),
        ({"security_protocol": "SASL_SSL", "sasl_username": "svc"}, "needs LIVEWIRE_SASL_PASSWORD or"),
        (
            {
                "security_protocol": "SASL_SSL",
                "sasl_username": "svc",
                "sasl_password": "pw-abc",
                "sasl_password_file": "/etc/hostname",
            },
            "not both",
        ),
        (
            {"security_protocol": "SASL_SSL", "sasl_username": "svc", "sasl_password_file": "/no/such/secret"},
            "cannot read LIVEWIRE_SASL_PASSWORD_FILE /no/such/secret",
        ),
    ],
)
def test_inconsistent_security_settings_are_refused_without_echoing_the_password(fields, reason):
    with pytest.raises(SecurityConfigError, match=reason) as caught:
        kafka_security(Settings(**fields))
    assert "pw-abc" not in str(caught.value)


def test_password_file_is_read_without_its_trailing_newline(tmp_path):
    secret = tmp_path / "password"
    secret.write_text("s3cret-from-file\n")
    security = kafka_security(_secured(sasl_password_file=secret))
    assert security.kafka_python()["sasl_plain_password"] == "s3cret-from-file"
    assert security.kafka_python()["ssl_context"].verify_mode.name == "CERT_REQUIRED"
    credentials = security.faust_credentials()
    assert credentials.mechanism.value == "SCRAM-SHA-512"
    assert credentials.protocol.value == "SASL_SSL"
    assert credentials.password == "s3cret-from-file"


def test_reprs_of_settings_security_and_faust_credentials_hide_the_password():
    settings = _secured(sasl_password=SecretStr("repr-secret-1"))
    security = kafka_security(settings)
    for text in (repr(settings), str(settings), repr(security), repr(security.faust_credentials())):
        assert "repr-secret-1" not in text


def test_a_registered_secret_is_redacted_from_any_log_record(caplog):
    redact_from_logs("hunter2-redact-me")
    caplog.set_level(logging.DEBUG)
    logging.getLogger("some.library").debug("config: %s", {"sasl_plain_password": "hunter2-redact-me"})
    logging.getLogger("other").warning("login with hunter2-redact-me failed")
    assert "hunter2-redact-me" not in caplog.text
    assert caplog.text.count(REDACTED) == 2


def test_every_secret_setting_is_redacted_once_security_is_built(caplog):
    settings = Settings(ingest_token=SecretStr("ingest-token-redact-me"))
    kafka_security(settings)
    caplog.set_level(logging.INFO)
    logging.getLogger("aiohttp.access").info("GET /posts Authorization: Bearer ingest-token-redact-me")
    assert "ingest-token-redact-me" not in caplog.text
    assert REDACTED in caplog.text


def test_cli_security_error_is_clear_and_names_no_secret():
    env = {"LIVEWIRE_SASL_USERNAME": "svc", "LIVEWIRE_SASL_PASSWORD": "cli-secret-9"}
    result = CliRunner().invoke(main, ["tail", "alerts"], env=env)
    assert result.exit_code == 1
    assert "bad LIVEWIRE_* setting" in result.output
    assert "SASL_SSL" in result.output
    assert "cli-secret-9" not in result.output


@pytest.mark.integration
def test_kafka_python_debug_dump_of_its_config_is_redacted(secure_broker, caplog):
    # kafka-python's admin client logs its whole configuration, password included, at DEBUG.
    prefix = f"sec-{uuid.uuid4().hex[:8]}"
    grant_prefix(secure_broker, WORKER_USER, prefix)
    password = secure_broker.passwords[WORKER_USER]
    settings = _secured(
        broker=secure_broker.bootstrap,
        sasl_username=WORKER_USER,
        sasl_password=SecretStr(password),
        ssl_cafile=secure_broker.tls.ca,
    )
    caplog.set_level(logging.DEBUG)
    created = ensure_topics(
        secure_broker.bootstrap,
        [f"{prefix}.posts.raw"],
        partitions=1,
        replication_factor=1,
        security=kafka_security(settings),
    )
    assert created == [f"{prefix}.posts.raw"]
    dumps = [r.getMessage() for r in caplog.records if "Starting KafkaAdminClient with configuration" in r.msg]
    assert dumps
    assert all(REDACTED in dump and WORKER_USER in dump for dump in dumps)
    assert password not in caplog.text
