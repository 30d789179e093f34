"""The claim ledger on a real broker: a scripted story across two feeds, subscriptions, /claims, two workers.

The story is our own text. Each post is sent only once the previous one is
enriched, so the ledger sees the posts in story order and the alerts are
known exactly: a first figure, the other side disputing it, a toll in a town
of the region, a displacement figure and its restatement, a side revising its
own figure, a rising toll, and an edit that supersedes its earlier revision.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.kafkaio import producing, read_topic
from streams.models import Post
from streams.runner import WorkerProcess

pytestmark = [pytest.mark.integration]

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
KYIV, WIRE = "kyiv-desk", "border-wire"


def _post(feed: str, post_id: str, hours: float, title: str, body: str, revision: int = 1) -> Post:
    return Post(
        source=feed,
        feed_id=feed,
        post_id=post_id,
        revision=revision,
        published_at=T0 + timedelta(hours=hours),
        title=title,
        body=body,
    )


STORY: list[Post] = [
    _post(
        KYIV,
        "k1",
        0,
        "Ukraine says it holds 1,000 sq km of Kursk region",
        "Ukraine's army chief Oleksandr Syrskyi said his troops now control about 1,000 square kilometres "
        "of Russia's Kursk region, including 74 settlements.",
    ),
    _post(
        WIRE,
        "w1",
        1,
        "Moscow disputes Kyiv's figure for Kursk",
        "Russia's defence ministry said Ukrainian forces controlled only 300 square kilometres of the Kursk region.",
    ),
    _post(
        WIRE,
        "w2",
        2,
        "Twelve killed in Sudzha shelling",
        "At least 12 people were killed by shelling in Sudzha, in the Kursk region, Russia's emergencies "
        "ministry said.",
    ),
    _post(
        KYIV,
        "k2",
        3,
        "Evacuations across the border region",
        "About 121,000 people have now left their homes in the Kursk region, the regional governor said.",
    ),
    _post(
        WIRE,
        "w3",
        4,
        "Buses leave for Kursk city",
        "Convoys of buses carried families north overnight. More than 100,000 people have fled the Kursk "
        "region since the incursion began, the regional governor told reporters.",
    ),
    _post(
        KYIV,
        "k3",
        26,
        "Syrskyi: Ukrainian forces hold 1,150 sq km in Kursk",
        "Speaking on television, Ukraine's army chief Oleksandr Syrskyi said Ukrainian units now control "
        "1,150 square kilometres of the Kursk region.",
    ),
    _post(
        WIRE,
        "w4",
        27,
        "Sudzha toll rises",
        "At least 19 people have now been killed in Sudzha, Russia's emergencies ministry said.",
    ),
    _post(
        KYIV,
        "k3",
        26,
        "Syrskyi: Ukrainian forces hold 1,200 sq km in Kursk",
        "Speaking on television, Ukraine's army chief Oleksandr Syrskyi said Ukrainian units now control "
        "1,200 square kilometres of the Kursk region.",
        revision=2,
    ),
]

# (type, metric, value, post, revision): the alerts the story raises, in story order.
EXPECTED = [
    ("new_claim", "area_km2", 1000.0, "k1", 1),
    ("new_claim", "settlements", 74.0, "k1", 1),
    ("conflicting_claim", "area_km2", 300.0, "w1", 1),
    ("new_claim", "killed", 12.0, "w2", 1),
    ("new_claim", "displaced", 121000.0, "k2", 1),
    ("claim_update", "area_km2", 1150.0, "k3", 1),
    ("claim_update", "killed", 19.0, "w4", 1),
    ("claim_update", "area_km2", 1200.0, "k3", 2),
]

CLAIMS_PER_POST = {"k1": 2}  # area and settlements; every other post makes one claim
TAIL_DISPUTES = ("--subscription", "disputes", "--from-beginning", "--idle-timeout", "3")
SUBSCRIPTIONS_V1 = '[subscriptions.disputes]\ntypes = ["conflicting_claim"]\n'
SUBSCRIPTIONS_V2 = (
    SUBSCRIPTIONS_V1
    + '\n[subscriptions.kursk-tolls]\nplaces = ["Kursk region"]\nmetrics = ["killed"]\n'
    + '\n[subscriptions.russian-sources]\nsides = ["Russia"]\n'
)


@dataclass
class Pipeline:
    """Workers sharing one app id and topic prefix on the session broker."""

    env: dict[str, str]
    workers: list[WorkerProcess]

    @property
    def prefix(self) -> str:
        return self.env["LIVEWIRE_TOPIC_PREFIX"]

    @property
    def bootstrap(self) -> str:
        return self.env["LIVEWIRE_BROKER"]

    def read(self, topic: str, *, idle: float = 2.0) -> list[dict[str, Any]]:
        records = read_topic(self.bootstrap, self.prefix + topic, from_beginning=True, idle_timeout=idle)
        return [orjson.loads(r.value or b"") for r in records]


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def _until(condition: Any, *, timeout: float, what: str) -> Any:
    """Poll ``condition`` until it returns something truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.3)  # polling interval of a condition with a deadline
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")


def _start(kafka_bootstrap: str, tmp_path: Path, count: int, **extra: str) -> Iterator[Pipeline]:
    run_id = uuid.uuid4().hex[:8]
    env = {
        "LIVEWIRE_BROKER": kafka_bootstrap,
        "LIVEWIRE_APP_ID": f"livewire-ledger-{run_id}",
        "LIVEWIRE_TOPIC_PREFIX": f"l{run_id}.",
        **extra,
    }
    workers = [
        WorkerProcess(
            env={**env, "LIVEWIRE_DATA_DIR": str(tmp_path / f"worker{i}")}, log_path=tmp_path / f"worker{i}.log"
        )
        for i in range(count)
    ]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.wait_ready(timeout=180)
        yield Pipeline(env=env, workers=workers)
    finally:
        for worker in workers:
            worker.stop()


def _ledger_entries(worker: WorkerProcess) -> int:
    """How many claims the whole ledger has recorded (-1 while it cannot say, e.g. mid-rebalance)."""
    try:
        return sum(item["recorded"] for item in _claims(worker)["claims"])
    except (urllib.error.URLError, OSError, ValueError):
        return -1


def _play_story(pipeline: Pipeline) -> list[dict[str, Any]]:
    """Send the story one post at a time, each once the ledger has recorded the previous; return the alerts.

    Waiting for the ledger (not only for the enriched post) matters with two
    workers: two feeds' claims about one key come from different producers, and
    only the ledger says which one arrived.
    """
    recorded = 0
    for post in STORY:
        with producing(pipeline.bootstrap) as producer:
            producer.send(
                pipeline.prefix + "posts.raw", key=post.feed_id.encode(), value=post.model_dump_json().encode()
            )
        recorded += CLAIMS_PER_POST.get(post.post_id, 1)
        _until(
            lambda recorded=recorded: _ledger_entries(pipeline.workers[0]) == recorded,
            timeout=120,
            what=f"the ledger to record post {post.post_id} r{post.revision}",
        )
    _until(lambda: len(pipeline.read("alerts")) >= len(EXPECTED), timeout=120, what="the story's alerts")
    return pipeline.read("alerts", idle=3.0)  # quiet time after the last one: any extra alert shows up here


def _in_story_order(alerts: list[dict[str, Any]]) -> list[tuple[str, str, float, str, int]]:
    position = {(p.post_id, p.revision): i for i, p in enumerate(STORY)}
    facts = [
        (a["type"], a["claim"]["metric"], float(a["claim"]["value"]), a["post"]["post_id"], a["post"]["revision"])
        for a in alerts
    ]
    # Within one post, alerts keep the order of its claims (area before settlements here).
    return sorted(facts, key=lambda fact: (position[(fact[3], fact[4])], fact[1] != "area_km2"))


def _claims(worker: WorkerProcess, **query: str) -> Any:
    return _get(f"{worker.url}/claims?{urllib.parse.urlencode(query)}")


@pytest.fixture(scope="module")
def one_worker(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    tmp_path = tmp_path_factory.mktemp("ledger-one")
    subscriptions = tmp_path / "subscriptions.toml"
    subscriptions.write_text(SUBSCRIPTIONS_V1)
    yield from _start(
        kafka_bootstrap,
        tmp_path,
        1,
        LIVEWIRE_SUBSCRIPTIONS=str(subscriptions),
        LIVEWIRE_SUBSCRIPTIONS_CHECK_SECONDS="0.5",
    )


@pytest.fixture(scope="module")
def story_alerts(one_worker: Pipeline) -> list[dict[str, Any]]:
    (worker,) = one_worker.workers
    path = Path(one_worker.workers[0].env["LIVEWIRE_SUBSCRIPTIONS"])

    def names() -> list[str]:
        return [s["name"] for s in _get(f"{worker.url}/subscriptions")["subscriptions"]]

    _until(lambda: names() == ["disputes"], timeout=60, what="the subscriptions file")
    path.write_text(SUBSCRIPTIONS_V2)
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))  # a new stamp even on a coarse clock
    _until(lambda: names() == ["disputes", "kursk-tolls", "russian-sources"], timeout=60, what="the edited file")
    path.write_text("[subscriptions.broken\n")
    os.utime(path, ns=(time.time_ns() + 2 * 10**9, time.time_ns() + 2 * 10**9))
    rejected = _until(
        lambda: (view := _get(f"{worker.url}/subscriptions"))["error"] and view, timeout=60, what="the rejection"
    )
    assert "not valid TOML" in rejected["error"]
    assert names() == ["disputes", "kursk-tolls", "russian-sources"]  # the last good file stays in force
    return _play_story(one_worker)


def test_story_raises_exactly_the_scripted_alerts(story_alerts: list[dict[str, Any]]) -> None:
    assert _in_story_order(story_alerts) == EXPECTED
    assert len({a["alert_id"] for a in story_alerts}) == len(EXPECTED)
    by_post = {(a["post"]["post_id"], a["post"]["revision"]): a for a in story_alerts}
    dispute = by_post[("w1", 1)]
    assert (dispute["source_side"], dispute["previous"]["value"]) == ("RU", 1000.0)
    revised = by_post[("k3", 1)]
    assert (revised["delta"], revised["direction"], revised["previous_post"]["post_id"]) == (150.0, "up", "k1")
    edit = by_post[("k3", 2)]
    assert edit["supersedes"] == 1
    assert edit["previous"]["value"] == 1000.0  # compared with the figure before the post, not its own revision 1
    assert edit["headline"].startswith("Update: Ukraine controls 1,200 km² of Kursk")
    assert "(was ~1,000 km² on 02 Mar, per Oleksandr Syrskyi)" in edit["headline"]


def test_subscriptions_receive_copies_of_matching_alerts(one_worker: Pipeline, story_alerts: list[dict[str, Any]]):
    def posts(topic: str) -> list[tuple[str, int]]:
        # A fresh reader of a topic only minutes old can take seconds to fetch its first records
        # on a loaded machine: a short quiet spell would end the read before they arrive.
        return sorted((a["post"]["post_id"], a["post"]["revision"]) for a in one_worker.read(topic, idle=10.0))

    expected = {
        "alerts.disputes": [("w1", 1)],
        "alerts.kursk-tolls": [("w2", 1), ("w4", 1)],  # Sudzha lies in Kursk region
        "alerts.russian-sources": [("w1", 1)],
    }
    # Each copy topic is created on its first copy; poll until its records can be read.
    for topic, wanted in expected.items():
        _until(lambda topic=topic, wanted=wanted: len(posts(topic)) >= len(wanted), timeout=60, what=topic)
    assert {topic: posts(topic) for topic in expected} == expected
    ids = {a["alert_id"] for a in story_alerts}
    assert {a["alert_id"] for a in one_worker.read("alerts.kursk-tolls")} <= ids

    # What a person runs to watch one subscription.
    tail = subprocess.run(
        [sys.executable, "-m", "streams", "tail", "alerts", *TAIL_DISPUTES],
        env={**os.environ, **one_worker.env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    (line,) = tail.stdout.splitlines()
    assert line.startswith("[  high] Conflicting claim: Ukraine controls 300 km² of Kursk")
    assert line.endswith(f"({WIRE}/w1)")


def test_claims_view_shows_current_figure_and_history(one_worker: Pipeline, story_alerts: list[dict[str, Any]]):
    (worker,) = one_worker.workers
    kursk = _claims(worker, place="Kursk")["claims"]
    assert sorted(item["current"]["claim"]["metric"] for item in kursk) == [
        "area_km2",
        "displaced",
        "killed",
        "settlements",
    ]
    (area,) = _claims(worker, place="Kursk", metric="area_km2")["claims"]
    assert area["current"]["claim"]["value"] == 1200.0
    assert [(e["claim"]["value"], e["outcome"]) for e in area["history"]] == [
        (1000.0, "new_claim"),
        (300.0, "conflicting_claim"),
        (1150.0, "claim_update"),
        (1200.0, "claim_update"),
    ]
    (displaced,) = _claims(worker, metric="displaced")["claims"]
    assert [e["outcome"] for e in displaced["history"]] == ["new_claim", "restated"]
    assert _claims(worker, place="Kharkiv")["claims"] == []
    one = _get(f"{worker.url}/claims/{urllib.parse.quote(area['key'], safe='')}")
    assert one == area


def test_two_workers_raise_the_same_alerts_and_answer_the_same(
    kafka_bootstrap: str, tmp_path: Path, one_worker: Pipeline, story_alerts: list[dict[str, Any]]
) -> None:
    expected_kursk = _claims(one_worker.workers[0], place="Kursk")["claims"]
    for pipeline in _start(kafka_bootstrap, tmp_path, 2):
        alerts = _play_story(pipeline)
        # Same ids: they depend on the claim and its post, not on which worker raised them.
        assert {a["alert_id"] for a in alerts} == {a["alert_id"] for a in story_alerts}
        assert _in_story_order(alerts) == EXPECTED

        first, second = pipeline.workers
        # Both workers own part of the ledger: their local answers are disjoint and add up to the whole.
        local = [_claims(w, place="Kursk", local="1")["claims"] for w in (first, second)]
        # The four keys hash to three of the four partitions, so a two-two split gives each worker some.
        assert all(local), "each worker should own some of the Kursk keys"
        assert not {i["key"] for i in local[0]} & {i["key"] for i in local[1]}
        merged = [_claims(w, place="Kursk") for w in (first, second)]
        assert merged[0] == merged[1]
        assert merged[0]["workers"] == 2
        assert merged[0]["claims"] == expected_kursk
        for item in expected_kursk:
            path = f"/claims/{urllib.parse.quote(item['key'], safe='')}"
            assert _get(first.url + path) == _get(second.url + path) == item
