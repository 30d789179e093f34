"""The ``livewire`` command line: local Kafka, worker, ingest, tail, extract, schemas and the demo run."""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
import orjson
from pydantic import ValidationError

from streams import localkafka
from streams.security import kafka_security
from streams.settings import Settings

logger = logging.getLogger(__name__)

SAMPLE = Path(__file__).resolve().parent / "samples" / "kursk-liveblog.txt"


def _settings() -> Settings:
    try:
        settings = Settings()
        kafka_security(settings)  # inconsistent security settings fail here, before any connection
    except ValidationError as exc:
        # Never echo the input: a mistyped broker URL may carry a password.
        reasons = "; ".join(
            f"LIVEWIRE_{'.'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
            for e in exc.errors(include_input=False, include_url=False)
        )
        msg = f"bad setting: {reasons}"
        raise click.ClickException(msg) from None
    except ValueError as exc:
        msg = f"bad LIVEWIRE_* setting: {exc}"
        raise click.ClickException(msg) from exc
    return settings


def _bootstrap(settings: Settings) -> str:
    """The broker to use: LIVEWIRE_BROKER, else the local broker started by `livewire kafka start`."""
    if settings.broker:
        return settings.broker
    info = localkafka.status()
    if info is None:
        msg = "no broker: set LIVEWIRE_BROKER=host:port, or run `livewire kafka start` first"
        raise click.ClickException(msg)
    return info.bootstrap


def _ensure_topics(bootstrap: str, settings: Settings) -> None:
    """Create the public topics a command writes or reads, with the deployment plan's retention."""
    from streams.topicplan import create_topics, topic_plan
    from streams.topics import PUBLIC_TOPICS

    create_topics(
        bootstrap, topic_plan(settings, public=PUBLIC_TOPICS, changelogs=()), security=kafka_security(settings)
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="livewire")
def main() -> None:
    """Livewire: live-blog posts in, enriched posts, claims and alerts out, on Apache Kafka.

    Quick start: `livewire run` starts a local Kafka and a worker, replays a
    sample live blog and prints its alerts.
    """
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    _settings()  # fail early with a clear message, before any module builds the app from them


# --- local Kafka -------------------------------------------------------------------------------


@main.group()
def kafka() -> None:
    """Run a local Apache Kafka (KRaft, one node, loopback) from Maven Central jars."""


def _say(message: str) -> None:
    click.echo(message, err=True)


@kafka.command("start")
@click.option("--port", type=int, default=None, help="Client port (default: a free one, kept across restarts).")
@click.option("--state-dir", type=click.Path(path_type=Path), default=None, help="Data and logs (default .state/).")
def kafka_start(port: int | None, state_dir: Path | None) -> None:
    """Start the local broker, or reuse the one already running; prints its bootstrap address."""
    try:
        info = localkafka.start(state_dir, port=port, progress=_say)
    except localkafka.LocalKafkaError as exc:
        raise click.ClickException(str(exc)) from exc
    _say(f"Kafka {'already running' if info.reused else 'started'} at {info.bootstrap} (pid {info.pid})")
    click.echo(info.bootstrap)


@kafka.command("stop")
@click.option("--state-dir", type=click.Path(path_type=Path), default=None, help="Data and logs (default .state/).")
def kafka_stop(state_dir: Path | None) -> None:
    """Stop the local broker cleanly (SIGTERM, then SIGKILL after 30 s)."""
    _say("Kafka stopped" if localkafka.stop(state_dir) else "Kafka was not running")


@kafka.command("status")
@click.option("--state-dir", type=click.Path(path_type=Path), default=None, help="Data and logs (default .state/).")
def kafka_status(state_dir: Path | None) -> None:
    """Say whether the local broker runs; exit 1 when it does not."""
    info = localkafka.status(state_dir)
    if info is None:
        _say("Kafka is not running")
        sys.exit(1)
    click.echo(f"running at {info.bootstrap} (pid {info.pid}, data in {info.state_dir})")


# --- worker ------------------------------------------------------------------------------------


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def worker(ctx: click.Context) -> None:
    """Run a faust worker (extra options go to faust, e.g. `-l info`). Needs LIVEWIRE_BROKER."""
    # Load the place gazetteers first, before faust and the Kafka clients start threads (they
    # would load on the first post and the first claim), built in a child so that their parse
    # never enlarges this process's heap (streams.preload).
    from streams.preload import preload_gazetteers

    preload_gazetteers()
    settings = _settings()
    bootstrap = _bootstrap(settings)
    # streams.app builds the faust App from the environment when first imported,
    # so a local broker found through the state folder is passed the same way.
    os.environ["LIVEWIRE_BROKER"] = bootstrap
    # faust creates only the last level of its data directory.
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Every topic, table changelogs included, exists before the worker joins its group: a
    # changelog faust creates itself can be missing from the group leader's metadata until
    # the next refresh, and a table write then fails its partition check (a crash loop).
    from streams.topicplan import create_topics, deployment_plan

    create_topics(bootstrap, deployment_plan(settings), security=kafka_security(settings))
    import streams.agents
    import streams.web  # noqa: F401  - registers the agents and HTTP views
    from streams.app import app

    sys.argv = ["livewire", "worker", *ctx.args]
    app.main()


@main.group()
def topics() -> None:
    """The deployment's topics: public ones with their retention, table changelogs compacted."""


@topics.command("create")
def topics_create() -> None:
    """Create every topic the workers need (idempotent): the one-shot initialiser of docker-compose and k8s."""
    from streams.topicplan import create_topics, deployment_plan

    settings = _settings()
    plan = deployment_plan(settings)
    for spec, created in create_topics(_bootstrap(settings), plan, security=kafka_security(settings)):
        configs = ",".join(f"{key}={value}" for key, value in sorted(spec.configs.items()))
        state = "created" if created else "exists"
        click.echo(f"{state}\t{spec.name}\tpartitions={spec.partitions}\trf={spec.replication_factor}\t{configs}")


# --- ingest ------------------------------------------------------------------------------------


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        msg = f"cannot read {path}: {exc.strerror}"
        raise click.ClickException(msg) from exc


@main.command()
@click.argument("file", metavar="FILE|-")
@click.option("--oldest-first", is_flag=True, help="The text lists the oldest post first (default: newest first).")
@click.option("--feed-id", default=None, help="Feed id of the posts (default: a slug of the blog's title).")
@click.option("--source", default="livewire-ingest", show_default=True, help="Publisher name put on each post.")
@click.option("--rate", type=float, default=None, help="Replay at N posts per second (default: as fast as possible).")
def ingest(file: str, oldest_first: bool, feed_id: str | None, source: str, rate: float | None) -> None:
    """Send a copied live blog (text) or JSON Lines of posts to posts.raw, oldest post first.

    Re-ingesting the same file yields the same post ids, so the worker absorbs
    the repeat as re-deliveries. Invalid posts are reported and not sent.
    """
    from tqdm import tqdm

    from streams.ingest.limits import split_oversized
    from streams.ingest.posts import Rejected, looks_like_jsonl, posts_from_jsonl, posts_from_text, raw_record
    from streams.kafkaio import producing
    from streams.models import Post
    from streams.topics import POSTS_RAW, topic_name

    settings = _settings()
    data = _read_input(file)
    posts: list[Post] = []
    rejected: list[Rejected] = []
    # The whole first line decides: a long first post cut at a fixed length would not parse as JSON.
    if looks_like_jsonl(data):
        now = datetime.now(UTC)
        for item in posts_from_jsonl(iter(data.splitlines()), max_bytes=settings.max_message_bytes, now=now):
            (posts if isinstance(item, Post) else rejected).append(item)  # type: ignore[arg-type]
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            msg = f"{file} is neither JSON Lines nor UTF-8 text: {exc}"
            raise click.ClickException(msg) from exc
        posts, rejected = posts_from_text(text, source=source, feed_id=feed_id, newest_first=not oldest_first)
        # JSON Lines went through validate above; text posts get the same size limit here, at the edge.
        posts, oversized = split_oversized(posts, max_bytes=settings.max_message_bytes, now=datetime.now(UTC))
        rejected += oversized
    bootstrap = _bootstrap(settings)
    _ensure_topics(bootstrap, settings)
    topic = topic_name(POSTS_RAW, prefix=settings.topic_prefix)
    sent = 0
    started = time.monotonic()
    with producing(bootstrap, security=kafka_security(settings)) as producer:
        for i, post in enumerate(tqdm(posts, desc="ingest", unit="post", file=sys.stderr, disable=None)):
            if rate:
                delay = started + i / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)  # pacing a replay at --rate, not synchronisation
            key, value = raw_record(post, ingested_at=datetime.now(UTC))
            producer.send(topic, key=key, value=value)
            sent += 1
    for item in rejected:
        _say(f"rejected {item.where}: {item.reason}")
    _say(f"sent {sent} posts to {topic}, rejected {len(rejected)}")


# --- tail --------------------------------------------------------------------------------------


def format_alert(value: dict[str, Any]) -> str:
    """One line for a person: severity, headline and where it came from."""
    post = value.get("post") or {}
    return (
        f"[{value.get('severity', '?'):>6}] {value.get('headline', '?')}  ({post.get('feed_id')}/{post.get('post_id')})"
    )


def _alert_matches(value: dict[str, Any], place: str | None, metric: str | None, kind: str | None) -> bool:
    claim = value.get("claim") or {}
    if place and (claim.get("place") or "").casefold() != place.casefold():
        return False
    if metric and claim.get("metric") != metric:
        return False
    return not (kind and value.get("type") != kind)


@main.command()
@click.argument("topic", default="alerts")
@click.option("--json", "as_json", is_flag=True, help="Print raw JSON values, one per line.")
@click.option("--from-beginning", is_flag=True, help="Start at the oldest record (default: only new ones).")
@click.option("--place", default=None, help="Alerts about this place only.")
@click.option("--metric", default=None, help="Alerts of this metric only (killed, area_km2, ...).")
@click.option("--type", "kind", default=None, help="Alerts of this type only (new_claim, claim_update, ...).")
@click.option("--idle-timeout", type=float, default=None, help="Exit after N seconds without a new record.")
@click.option("--subscription", default=None, help="With alerts: the copies routed to subscription NAME.")
def tail(
    topic: str,
    as_json: bool,
    from_beginning: bool,
    place: str | None,
    metric: str | None,
    kind: str | None,
    idle_timeout: float | None,
    subscription: str | None,
) -> None:
    """Print records of TOPIC (a registry name such as alerts or posts.dlq) as they arrive."""
    from streams.kafkaio import read_topic
    from streams.topics import ALERTS, subscription_topic_name, topic_name

    settings = _settings()
    if subscription is not None and topic != ALERTS:
        msg = "--subscription goes with the alerts topic: livewire tail alerts --subscription NAME"
        raise click.UsageError(msg)
    registry_name = subscription_topic_name(subscription) if subscription is not None else topic
    name = topic_name(registry_name, prefix=settings.topic_prefix)
    records = read_topic(
        _bootstrap(settings),
        name,
        from_beginning=from_beginning,
        idle_timeout=idle_timeout,
        security=kafka_security(settings),
    )
    for record in records:
        click.echo(
            describe_record(record, topic=topic, as_json=as_json, place=place, metric=metric, kind=kind) or "", nl=False
        )


def describe_record(
    record: Any,
    *,
    topic: str,
    as_json: bool,
    place: str | None = None,
    metric: str | None = None,
    kind: str | None = None,
) -> str | None:
    """The text `tail` prints for one record (with its newline), or None when filtered out."""
    from streams.deadletter import headers_dict

    raw = record.value or b""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        value = None
    if topic == "alerts" and isinstance(value, dict):
        if not _alert_matches(value, place, metric, kind):
            return None
        return (raw.decode() if as_json else format_alert(value)) + "\n"
    if topic.endswith("dlq") and not as_json:
        headers = headers_dict(record.headers)
        return f"{headers.get('dlq.stage')}: {headers.get('dlq.error.message')}  value={raw[:80]!r}\n"
    return raw.decode("utf-8", "replace") + "\n"


# --- extract, schemas --------------------------------------------------------------------------


@main.command()
@click.argument("file", metavar="FILE|-")
@click.option("--oldest-first", is_flag=True, help="The text lists the oldest post first (default: newest first).")
def extract(file: str, oldest_first: bool) -> None:
    """Run the pipeline's stages offline on a copied live blog; print the eval JSON (FORMAT.md)."""
    from streams.extract import extract_liveblog

    try:
        text = _read_input(file).decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"{file} is not UTF-8 text: {exc}"
        raise click.ClickException(msg) from exc
    result = extract_liveblog(text, newest_first=not oldest_first)
    click.echo(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())


@main.group()
def schemas() -> None:
    """JSON Schemas of the public topics (generated from the models)."""


@schemas.command("export")
@click.option("--dir", "directory", type=click.Path(path_type=Path), default=Path("schemas"), show_default=True)
def schemas_export(directory: Path) -> None:
    """Write schemas/*.json from the models."""
    from streams.schemas import export

    for path in export(directory):
        _say(f"wrote {path}")


@schemas.command("check")
@click.option("--dir", "directory", type=click.Path(path_type=Path), default=Path("schemas"), show_default=True)
def schemas_check(directory: Path) -> None:
    """Exit 1 when schemas/*.json differ from the models."""
    from streams.schemas import check

    stale = check(directory)
    if stale:
        msg = f"schemas out of date: {', '.join(stale)} (run `livewire schemas export`)"
        raise click.ClickException(msg)
    _say("schemas up to date")


# --- dead letters ------------------------------------------------------------------------------


@main.group()
def dlq() -> None:
    """Inspect and replay dead letters (posts.dlq)."""


@dlq.command("inspect")
@click.option("--idle-timeout", type=float, default=3.0, show_default=True, help="Stop after N quiet seconds.")
def dlq_inspect(idle_timeout: float) -> None:
    """List every dead letter: stage, reason, source coordinates and the start of the original bytes."""
    from streams.deadletter import headers_dict
    from streams.kafkaio import read_topic
    from streams.topics import POSTS_DLQ, topic_name

    settings = _settings()
    name = topic_name(POSTS_DLQ, prefix=settings.topic_prefix)
    count = 0
    records = read_topic(
        _bootstrap(settings), name, from_beginning=True, idle_timeout=idle_timeout, security=kafka_security(settings)
    )
    for record in records:
        h = headers_dict(record.headers)
        where = f"{h.get('dlq.source.topic')}[{h.get('dlq.source.partition')}]@{h.get('dlq.source.offset')}"
        head = (record.value or b"")[:60]
        click.echo(f"{record.offset}\t{h.get('dlq.stage')}\t{where}\t{h.get('dlq.error.message')}\t{head!r}")
        count += 1
    _say(f"{count} dead letters in {name}")


@dlq.command("replay")
@click.option("--idle-timeout", type=float, default=3.0, show_default=True, help="Stop after N quiet seconds.")
@click.option("--dry-run", is_flag=True, help="Only say what would be sent.")
def dlq_replay(idle_timeout: float, dry_run: bool) -> None:
    """Send dead letters that now validate (after a validator fix or a raised limit) back to posts.raw.

    The rest stay where they are. Replaying twice is harmless: the worker absorbs re-deliveries.
    """
    from streams.errors import InvalidMessage
    from streams.kafkaio import producing, read_topic
    from streams.stages.validate import validate
    from streams.topics import POSTS_DLQ, POSTS_RAW, topic_name

    settings = _settings()
    bootstrap = _bootstrap(settings)
    source = topic_name(POSTS_DLQ, prefix=settings.topic_prefix)
    target = topic_name(POSTS_RAW, prefix=settings.topic_prefix)
    fixed, still_bad = [], 0
    security = kafka_security(settings)
    for record in read_topic(bootstrap, source, from_beginning=True, idle_timeout=idle_timeout, security=security):
        try:
            post = validate(record.value, max_bytes=settings.max_message_bytes, now=datetime.now(UTC))
        except InvalidMessage:
            still_bad += 1
            continue
        fixed.append((post.feed_id.encode(), record.value or b""))
    if fixed and not dry_run:
        with producing(bootstrap, security=security) as producer:
            for key, value in fixed:
                producer.send(target, key=key, value=value)
    verb = "would replay" if dry_run else "replayed"
    _say(f"{verb} {len(fixed)} dead letters to {target}; {still_bad} still invalid")


# --- evaluation --------------------------------------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parent.parent
DEVSET = REPO_ROOT / "tests" / "data" / "devset"
HELD_OUT = {"election-liveblog", "frontline-liveblog"}


@main.command("eval")
@click.argument("gold_files", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--scorer",
    type=click.Path(path_type=Path),
    default=REPO_ROOT.parent / "shared" / "eval" / "score.py",
    show_default=True,
    help="The shared scorer (score.py).",
)
@click.option(
    "--ner",
    type=click.Choice(["livewire", "spacy"]),
    default="livewire",
    show_default=True,
    help="Whose entities to score: ours, or spaCy en_core_web_sm's (the bench extra) on the same posts.",
)
def evaluate(gold_files: tuple[Path, ...], scorer: Path, ner: str) -> None:
    """Extract and score annotated live blogs (default: the seed and tests/data/devset); print one table."""
    from streams.evaluate import load_scorer, render_table, score_blog, spacy_tagger

    if not scorer.is_file():
        msg = f"scorer not found at {scorer} (pass --scorer)"
        raise click.ClickException(msg)
    golds = list(gold_files) or [
        *sorted((scorer.parent).glob("*.gold.json")),
        *sorted(DEVSET.glob("*.gold.json")),
    ]
    score = load_scorer(scorer)
    try:
        tagger = spacy_tagger() if ner == "spacy" else None
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    results = []
    for i, gold in enumerate(golds, start=1):
        _say(f"[{i}/{len(golds)}] {gold.name}")
        results.append(score_blog(gold, score, tagger=tagger))
    click.echo(render_table(results, held_out=HELD_OUT))


# --- benchmark --------------------------------------------------------------------------------


@main.command()
@click.option("--quick", is_flag=True, help="Small counts and 3-second loads (a smoke run of every row).")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Folder for JSON, PNG, table [docs/].")
@click.option("--pipeline-posts", type=int, default=None, help="Posts for the pipeline and memory rows [200,000].")
@click.option("--scale-posts", type=int, default=None, help="Posts for each scale-out run [30,000].")
@click.option("--load-seconds", type=float, default=None, help="Seconds at each offered load [30].")
@click.option(
    "--only",
    type=click.Choice(["enrich"]),
    default=None,
    help="Run only these rows (enrich: enrich alone vs spaCy, no broker); prints the table, writes nothing.",
)
@click.option("--enrich-posts", type=int, default=None, help="Posts for the enrich-alone row [5,000].")
def bench(
    quick: bool,
    out: Path | None,
    pipeline_posts: int | None,
    scale_posts: int | None,
    load_seconds: float | None,
    only: str | None,
    enrich_posts: int | None,
) -> None:
    """Measure ceiling, framework floor, pipeline, enrich vs spaCy, latency, memory and scale-out in one run.

    Uses LIVEWIRE_BROKER, else the local broker (started for the run if it is
    not running). Prints a table; writes bench.json, bench.png and the table in
    performance.md (a --quick run writes bench-quick.json and .png only).
    """
    from streams.bench.run import DOCS, run_bench, run_enrich_only

    if only == "enrich":
        click.echo(run_enrich_only(quick=quick, progress=_say, enrich_posts=enrich_posts)["table"])
        return
    settings = _settings()
    started_broker = False
    if settings.broker:
        bootstrap = settings.broker
    else:
        try:
            info = localkafka.start(progress=_say)
        except localkafka.LocalKafkaError as exc:
            raise click.ClickException(str(exc)) from exc
        bootstrap, started_broker = info.bootstrap, not info.reused
    try:
        overrides = {
            "pipeline_posts": pipeline_posts,
            "scale_posts": scale_posts,
            "load_seconds": load_seconds,
            "enrich_posts": enrich_posts,
        }
        result = run_bench(bootstrap, quick=quick, out=out or DOCS, progress=_say, overrides=overrides)
    finally:
        if started_broker:
            localkafka.stop()
    click.echo(result["table"])


# --- the demo run ------------------------------------------------------------------------------


@main.command()
@click.option("--sample", type=click.Path(exists=True, path_type=Path), default=SAMPLE, show_default=True)
@click.option("--rate", type=float, default=2.0, show_default=True, help="Replay pace in posts per second.")
def run(sample: Path, rate: float) -> None:
    """Start Kafka (unless LIVEWIRE_BROKER is set) and a worker, replay a sample, print alerts.

    Keeps running and printing new alerts; Ctrl-C stops the worker and the
    broker it started.
    """
    from streams.kafkaio import read_topic
    from streams.runner import WorkerProcess
    from streams.topics import ALERTS, topic_name

    settings = _settings()
    started_broker = False
    if settings.broker:
        bootstrap = settings.broker
        # The reachability probe speaks PLAINTEXT only; a secured broker is checked by the first real client.
        if settings.security_protocol == "PLAINTEXT" and not localkafka.broker_reachable(bootstrap, timeout=10):
            msg = f"LIVEWIRE_BROKER={bootstrap} does not answer"
            raise click.ClickException(msg)
    else:
        try:
            info = localkafka.start(progress=_say)
        except localkafka.LocalKafkaError as exc:
            raise click.ClickException(str(exc)) from exc
        bootstrap, started_broker = info.bootstrap, not info.reused
        _say(f"Kafka {'reused' if info.reused else 'started'} at {bootstrap}")
    state = localkafka.default_state_dir()
    worker_process = WorkerProcess(
        env={"LIVEWIRE_BROKER": bootstrap, "LIVEWIRE_DATA_DIR": str(state / "worker")}, log_path=state / "worker.log"
    )

    def _interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _interrupt)
    try:
        _ensure_topics(bootstrap, settings)
        _say(f"starting worker (log: {worker_process.log_path}) ...")
        worker_process.start()
        worker_process.wait_ready()
        _say(f"worker ready: metrics at {worker_process.url}/metrics")
        ctx = click.get_current_context()
        ctx.invoke(ingest, file=str(sample), oldest_first=False, feed_id=None, source="livewire-sample", rate=rate)
        _say("alerts (all raised so far, then new ones as they arrive; Ctrl-C to stop):")
        alerts_topic = topic_name(ALERTS, prefix=settings.topic_prefix)
        records = read_topic(
            bootstrap, alerts_topic, from_beginning=True, idle_timeout=None, security=kafka_security(settings)
        )
        for record in records:
            line = describe_record(record, topic=ALERTS, as_json=False)
            if line:
                click.echo(line, nl=False)
    except KeyboardInterrupt:
        # kafka-python logs the metadata refresh that Ctrl-C cancels as an error; it is not one.
        logging.getLogger("kafka").setLevel(logging.CRITICAL)
        _say("stopping ...")
    finally:
        worker_process.stop()
        if started_broker:
            localkafka.stop()
        _say("worker stopped" + (" and Kafka stopped" if started_broker else ""))
