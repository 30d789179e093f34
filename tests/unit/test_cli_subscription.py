"""`livewire tail alerts --subscription NAME`: option checks (reading the topic is tested on Kafka)."""

from __future__ import annotations

from click.testing import CliRunner

from streams.cli import main
from streams.topics import subscription_topic_name, topic_name


def test_subscription_only_goes_with_alerts():
    result = CliRunner().invoke(main, ["tail", "posts.dlq", "--subscription", "tolls"])
    assert result.exit_code == 2
    assert "--subscription goes with the alerts topic" in result.output


def test_subscription_topic_is_alerts_dot_name():
    assert subscription_topic_name("tolls") == "alerts.tolls"
    assert topic_name(subscription_topic_name("tolls"), prefix="t1.") == "t1.alerts.tolls"
