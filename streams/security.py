"""Kafka client security: the one place that turns settings into SASL/SCRAM-over-TLS client options.

The worker (faust on aiokafka) and every command (kafka-python) take their options from
:func:`kafka_security`, so all clients connect the same way. The password comes from
``LIVEWIRE_SASL_PASSWORD`` or the file named by ``LIVEWIRE_SASL_PASSWORD_FILE``; it is never a command
line option or part of the broker address, and once read it is redacted from every log record this
process creates (kafka-python's admin client logs its whole configuration at DEBUG).
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from pydantic import SecretStr

from streams.settings import Settings

if TYPE_CHECKING:
    import faust

REDACTED: Final = "**********"


class SecurityConfigError(ValueError):
    """The LIVEWIRE_* security settings are inconsistent or the secret cannot be read."""


@dataclass(frozen=True)
class KafkaSecurity:
    """How a client authenticates to Kafka and verifies it; the default is PLAINTEXT (no security)."""

    protocol: Literal["PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256"] = "SCRAM-SHA-512"
    username: str | None = None
    password: SecretStr | None = field(default=None, repr=False)
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    def kafka_python(self) -> dict[str, Any]:
        """Keyword arguments for kafka-python's producer, consumer and admin client."""
        if self.protocol == "PLAINTEXT":
            return {"security_protocol": "PLAINTEXT"}
        return {
            "security_protocol": self.protocol,
            "ssl_context": self.ssl_context,
            "sasl_mechanism": self.mechanism,
            "sasl_plain_username": self.username,
            "sasl_plain_password": self.password.get_secret_value() if self.password else None,
        }

    def faust_credentials(self) -> faust.SASLCredentials | None:
        """The worker's ``broker_credentials``: SCRAM with the TLS context, or None for PLAINTEXT."""
        if self.protocol == "PLAINTEXT":
            return None
        import faust

        return faust.SASLCredentials(
            username=self.username,
            password=self.password.get_secret_value() if self.password else None,
            ssl_context=self.ssl_context,
            mechanism=self.mechanism,
        )


PLAINTEXT: Final = KafkaSecurity()
"""No authentication, no encryption: the local development broker."""


def kafka_security(settings: Settings) -> KafkaSecurity:
    """Build the client security of ``settings``, reading the password file if one is configured.

    Registers the password, and every other secret setting, for redaction from this process's logs.
    Error messages name settings and files, never the secret.

    Raises:
        SecurityConfigError: credentials without SASL_SSL (they would travel in clear), SASL_SSL without a
            user or password, both a password and a password file, or an unreadable file.
    """
    redact_secrets_of(settings)
    given = {
        "LIVEWIRE_SASL_USERNAME": settings.sasl_username,
        "LIVEWIRE_SASL_PASSWORD": settings.sasl_password,
        "LIVEWIRE_SASL_PASSWORD_FILE": settings.sasl_password_file,
        "LIVEWIRE_SSL_CAFILE": settings.ssl_cafile,
    }
    if settings.security_protocol == "PLAINTEXT":
        named = [name for name, value in given.items() if value]
        if named:
            msg = f"{', '.join(named)} set but LIVEWIRE_SECURITY_PROTOCOL is PLAINTEXT; set it to SASL_SSL"
            raise SecurityConfigError(msg)
        return PLAINTEXT
    if not settings.sasl_username:
        msg = "LIVEWIRE_SECURITY_PROTOCOL=SASL_SSL needs LIVEWIRE_SASL_USERNAME"
        raise SecurityConfigError(msg)
    password = _password(settings)
    context = _ssl_context(settings.ssl_cafile)
    redact_from_logs(password)
    return KafkaSecurity(
        protocol="SASL_SSL",
        mechanism=settings.sasl_mechanism,
        username=settings.sasl_username,
        password=SecretStr(password),
        ssl_context=context,
    )


def _password(settings: Settings) -> str:
    if settings.sasl_password is not None and settings.sasl_password_file is not None:
        msg = "set LIVEWIRE_SASL_PASSWORD or LIVEWIRE_SASL_PASSWORD_FILE, not both"
        raise SecurityConfigError(msg)
    if settings.sasl_password_file is not None:
        path = settings.sasl_password_file
        try:
            # Secret files written by `echo` or editors end with a newline that is not part of the password.
            password = path.read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            msg = f"cannot read LIVEWIRE_SASL_PASSWORD_FILE {path}: {type(exc).__name__}"
            raise SecurityConfigError(msg) from None
    else:
        password = settings.sasl_password.get_secret_value() if settings.sasl_password else ""
    if not password:
        msg = "LIVEWIRE_SECURITY_PROTOCOL=SASL_SSL needs LIVEWIRE_SASL_PASSWORD or LIVEWIRE_SASL_PASSWORD_FILE"
        raise SecurityConfigError(msg)
    return password


def _ssl_context(cafile: Path | None) -> ssl.SSLContext:
    """A client context that verifies the broker's certificate and host name (TLS 1.2 or newer)."""
    try:
        context = ssl.create_default_context(cafile=str(cafile) if cafile else None)
    except (OSError, ssl.SSLError) as exc:
        msg = f"cannot load LIVEWIRE_SSL_CAFILE {cafile}: {exc}"
        raise SecurityConfigError(msg) from None
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


# --- redaction -------------------------------------------------------------------------------------


class _Redactor:
    """Rewrites log records that would show a registered secret, whichever library logs them."""

    def __init__(self) -> None:
        self.secrets: set[str] = set()
        self.installed = False

    def install(self) -> None:
        if self.installed:
            return
        # A record factory sees every record of every logger before any handler or formatter, including
        # the handlers faust and pytest install later; a handler filter would miss those.
        base: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

        def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = base(*args, **kwargs)
            self.scrub(record)
            return record

        logging.setLogRecordFactory(make_record)
        self.installed = True

    def scrub(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):
            return  # a malformed record: logging reports it itself when it is formatted
        if not any(secret in message for secret in self.secrets):
            return
        for secret in self.secrets:
            message = message.replace(secret, REDACTED)
        record.msg, record.args = message, None


_redactor = _Redactor()


def redact_from_logs(secret: str) -> None:
    """Replace ``secret`` with ``**********`` in every log record this process creates from now on."""
    if secret:
        _redactor.secrets.add(secret)
        _redactor.install()


def redact_secrets_of(settings: Settings) -> None:
    """Register the value of every ``SecretStr`` setting (SASL password, ingest token, ...) for redaction."""
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            redact_from_logs(value.get_secret_value())
