"""The command line, through click's CliRunner: help, errors and record formatting."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
from click.testing import CliRunner

from streams.cli import describe_record, format_alert, main
from streams.kafkaio import Record

REPO = Path(__file__).resolve().parents[2]


def _record(value: bytes, headers: list[tuple[str, bytes]] | None = None) -> Record:
    return Record("alerts", 0, 0, 0, b"k", value, headers or [])


def test_cli_help_lists_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("run", "kafka", "worker", "ingest", "tail", "extract", "schemas"):
        assert re.search(rf"^\s+{command}\b", result.output, re.M), command


def test_cli_ingest_missing_file_is_a_clear_error():
    result = CliRunner().invoke(main, ["ingest", "/no/such/file.txt"])
    assert result.exit_code == 1
    assert "cannot read /no/such/file.txt" in result.output


def test_cli_bad_broker_setting_is_a_clear_error():
    result = CliRunner().invoke(main, ["tail", "alerts"], env={"LIVEWIRE_BROKER": "user:secret@host:9092"})
    assert result.exit_code == 1
    assert "must not carry credentials" in result.output
    assert "secret" not in result.output.replace("must not carry credentials", "")


def test_cli_extract_reads_stdin():
    text = "A blog\n\nFlood update\n\nAt least 12 people were killed in the floods, officials said.\n"
    result = CliRunner().invoke(main, ["extract", "-"], input=text)
    assert result.exit_code == 0, result.output
    out = orjson.loads(result.output)
    assert [p["headline"] for p in out["posts"]] == ["Flood update"]
    assert {(q["kind"], q["value"]) for q in out["posts"][0]["quantities"]} == {("killed", 12)}


def test_format_alert_is_one_plain_line():
    alert = {
        "severity": "high",
        "headline": "New claim: 12 killed in Sumy — governor",
        "post": {"feed_id": "f", "post_id": "p"},
    }
    assert format_alert(alert) == "[  high] New claim: 12 killed in Sumy — governor  (f/p)"


def test_describe_record_filters_alerts_by_metric_and_place():
    alert = {"type": "new_claim", "headline": "h", "claim": {"metric": "killed", "place": "Sumy"}, "post": {}}
    raw = orjson.dumps(alert)
    assert describe_record(_record(raw), topic="alerts", as_json=False, metric="killed", place="sumy")
    assert describe_record(_record(raw), topic="alerts", as_json=False, metric="injured") is None
    assert describe_record(_record(raw), topic="alerts", as_json=True) == raw.decode() + "\n"


def test_describe_record_shows_dead_letter_reason():
    record = _record(b"{bad", [("dlq.stage", b"validate"), ("dlq.error.message", b"not valid JSON")])
    assert describe_record(record, topic="posts.dlq", as_json=False).startswith("validate: not valid JSON")


def test_compose_kafka_image_matches_the_local_launcher_version():
    from streams.localkafka import kafka_version

    compose = (REPO / "docker-compose.yml").read_text()
    assert f"image: apache/kafka:{kafka_version()}" in compose
