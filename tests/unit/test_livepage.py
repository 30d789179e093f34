"""The live page's server side without Kafka: fan-out, repeats, slow pages, coordinates; assets are local."""

from __future__ import annotations

import re

import orjson
import pytest

from streams.livepage import RECENT_ALERTS, STATIC_DIR, SUBSCRIBER_BACKLOG, AlertFeed, place_coordinates, sse_message


def _feed() -> AlertFeed:
    return AlertFeed(bootstrap=["127.0.0.1:1"], topic="alerts", consumer_options={})


async def test_feed_gives_a_new_page_the_recent_alerts_then_the_new_ones_once():
    feed = _feed()
    feed.publish("a1", b"one")
    history, queue = feed.subscribe()
    feed.publish("a2", b"two")
    feed.publish("a1", b"one again")  # a re-sent alert keeps its id
    assert history == [b"one"]
    assert queue.get_nowait() == b"two"
    assert queue.empty()


async def test_feed_keeps_only_the_most_recent_alerts():
    feed = _feed()
    for i in range(RECENT_ALERTS + 5):
        feed.publish(f"a{i}", str(i).encode())
    history, _ = feed.subscribe()
    assert len(history) == RECENT_ALERTS
    assert history[0] == b"5"


async def test_feed_ends_the_stream_of_a_page_that_fell_too_far_behind():
    feed = _feed()
    _, slow = feed.subscribe()
    _, quick = feed.subscribe()
    for i in range(SUBSCRIBER_BACKLOG + 1):
        feed.publish(f"a{i}", b"x")
        while not quick.empty():
            quick.get_nowait()
    assert slow.get_nowait() is None
    assert slow not in feed.subscribers
    assert quick in feed.subscribers


async def test_feed_close_ends_every_stream():
    feed = _feed()
    _, queue = feed.subscribe()
    await feed.close()
    assert queue.get_nowait() is None


def test_sse_message_is_one_alert_event_with_its_id():
    payload = orjson.dumps({"alert_id": "abc"})
    assert sse_message(payload, event_id="abc") == b'event: alert\nid: abc\ndata: {"alert_id":"abc"}\n\n'


def test_place_coordinates_come_from_the_gazetteer():
    lat, lon = place_coordinates("Paris") or (0.0, 0.0)
    assert 48 < lat < 49
    assert 2 < lon < 3
    assert place_coordinates(None) is None


@pytest.mark.parametrize("name", ["index.html", "app.js", "style.css", "land.json"])
def test_page_assets_ship_in_the_package_and_load_nothing_from_outside(name):
    text = (STATIC_DIR / name).read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
    assert "@import" not in text
