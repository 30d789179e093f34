"""Containers and manifests agree with the code (no Docker engine here: parsed, not run).

Commands are real CLI commands, LIVEWIRE_* names are real settings, ports and
probe paths match the worker's web server, and every image is pinned.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from streams.cli import main
from streams.localkafka import kafka_version
from streams.settings import Settings

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
VERSION = PYPROJECT["project"]["version"]
SETTING_NAMES = {f"LIVEWIRE_{name.upper()}" for name in Settings.model_fields}
WEB_ROUTES = set(re.findall(r'@app\.page\("([^"]+)"\)', (REPO / "streams" / "web.py").read_text()))


def _yaml(path: str) -> Any:
    return yaml.safe_load((REPO / path).read_text())


def _k8s() -> dict[str, dict[str, Any]]:
    documents = [yaml.safe_load(p.read_text()) for p in sorted((REPO / "deploy" / "k8s").glob("*.yaml"))]
    return {doc["kind"]: doc for doc in documents if doc and "kind" in doc and doc["kind"] != "Kustomization"}


def assert_cli_command(argv: list[str]) -> None:
    """``argv`` starts with our console script and names an existing (sub)command."""
    assert argv[0] in PYPROJECT["project"]["scripts"], argv
    command: click.Command = main
    for word in argv[1:]:
        if not isinstance(command, click.Group) or word.startswith("-"):
            break
        assert word in command.commands, f"{argv}: no command {word!r}"
        command = command.commands[word]
    assert not isinstance(command, click.Group), f"{argv} names a group, not a command"


def assert_settings(env: dict[str, Any]) -> None:
    """Every LIVEWIRE_* name is a Settings field and the values validate."""
    livewire = {key: str(value) for key, value in env.items() if key.startswith("LIVEWIRE_")}
    assert set(livewire) <= SETTING_NAMES, set(livewire) - SETTING_NAMES
    Settings(**{key.removeprefix("LIVEWIRE_").lower(): value for key, value in livewire.items()})


def assert_pinned(image: str) -> None:
    """An image reference with an exact version tag (or a digest), never latest."""
    if "@sha256:" in image:
        return
    name, _, tag = image.rpartition(":")
    assert name, f"{image} has no tag"
    assert re.fullmatch(r"v?\d+\.\d+\.\d+[\w.-]*", tag), f"{image} is not pinned to a version"


# --- Dockerfile ----------------------------------------------------------------------------------


def _dockerfile() -> list[tuple[str, str]]:
    text = (REPO / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def _dockerfile_env() -> dict[str, str]:
    env = {}
    for instruction, args in _dockerfile():
        if instruction == "ENV":
            env.update(dict(re.findall(r"(\w+)=(\S+)", args)))
    return env


def test_dockerfile_is_multi_stage_on_a_pinned_slim_base():
    instructions = _dockerfile()
    args = dict(re.findall(r"(\w+)=(\S+)", " ".join(a for i, a in instructions if i == "ARG")))
    bases = [re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], a.split()[0]) for i, a in instructions if i == "FROM"]
    assert len(bases) >= 2
    for base in bases:
        assert_pinned(base)
        assert "slim" in base


def test_dockerfile_runs_as_a_non_root_user():
    users = [args for instruction, args in _dockerfile() if instruction == "USER"]
    assert users
    assert users[-1] not in {"root", "0"}


def test_dockerfile_command_is_the_cli_worker_command():
    (cmd,) = [json.loads(args) for instruction, args in _dockerfile() if instruction == "CMD"]
    assert_cli_command(cmd)
    assert cmd[:2] == ["livewire", "worker"]


def test_dockerfile_settings_port_and_healthcheck_agree():
    env = _dockerfile_env()
    assert_settings(env)
    (exposed,) = [args for instruction, args in _dockerfile() if instruction == "EXPOSE"]
    assert exposed == env["LIVEWIRE_WEB_PORT"]
    (health,) = [args for instruction, args in _dockerfile() if instruction == "HEALTHCHECK"]
    assert "/healthz" in health
    assert "/healthz" in WEB_ROUTES
    assert "LIVEWIRE_WEB_PORT" in health


# --- docker-compose.yml ----------------------------------------------------------------------------


def _compose() -> dict[str, Any]:
    return _yaml("docker-compose.yml")["services"]


def test_compose_images_are_pinned_and_livewire_is_this_version():
    services = _compose()
    for name, service in services.items():
        assert "image" in service, name
        assert_pinned(service["image"])
    assert services["kafka"]["image"] == f"apache/kafka:{kafka_version()}"
    assert services["worker"]["image"] == f"livewire:{VERSION}"


def test_compose_commands_are_cli_commands_with_real_settings():
    livewire = {name: s for name, s in _compose().items() if s["image"].startswith("livewire:")}
    assert set(livewire) == {"topics", "worker"}
    for service in livewire.values():
        assert_cli_command(service["command"])
        assert_settings(service["environment"])
    assert livewire["topics"]["command"][1:] == ["topics", "create"]
    assert livewire["worker"]["command"][1] == "worker"


def test_compose_starts_two_workers_after_the_one_shot_topic_initialiser():
    services = _compose()
    worker, topics = services["worker"], services["topics"]
    assert worker["deploy"]["replicas"] == 2
    assert topics["restart"] == "no"
    assert worker["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    assert topics["depends_on"]["kafka"]["condition"] == "service_healthy"
    # Every worker gets partitions to own.
    assert int(worker["environment"]["LIVEWIRE_PARTITIONS"]) >= worker["deploy"]["replicas"]


def test_compose_kafka_is_kraft_and_reachable_where_the_workers_look():
    services = _compose()
    kafka = services["kafka"]["environment"]
    assert kafka["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert kafka["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert f"PLAINTEXT://{services['worker']['environment']['LIVEWIRE_BROKER']}" in kafka["KAFKA_ADVERTISED_LISTENERS"]


def test_compose_prometheus_scrapes_every_worker_on_its_web_port():
    services = _compose()
    mounts = dict(volume.split(":")[:2] for volume in services["prometheus"]["volumes"])
    config = _yaml(next(host for host in mounts if host.endswith("prometheus.yml")).removeprefix("./"))
    (job,) = config["scrape_configs"]
    (sd,) = job["dns_sd_configs"]
    assert sd["names"] == ["worker"]
    assert str(sd["port"]) == services["worker"]["environment"]["LIVEWIRE_WEB_PORT"]
    assert job.get("metrics_path", "/metrics") in WEB_ROUTES


def test_compose_grafana_gets_the_provisioned_dashboard_and_datasource():
    grafana = _compose()["grafana"]
    mounts = {target: host.removeprefix("./") for host, target, *_ in (v.split(":") for v in grafana["volumes"])}
    provisioning = REPO / mounts["/etc/grafana/provisioning"]
    (provider,) = yaml.safe_load((provisioning / "dashboards" / "livewire.yml").read_text())["providers"]
    dashboards = REPO / mounts[provider["options"]["path"]]
    dashboard = json.loads((dashboards / "livewire.json").read_text())
    (source,) = yaml.safe_load((provisioning / "datasources" / "prometheus.yml").read_text())["datasources"]
    assert source["url"] == "http://prometheus:9090"
    used = {target["datasource"]["uid"] for panel in dashboard["panels"] for target in panel["targets"]}
    assert used == {source["uid"]}


# --- deploy/k8s ------------------------------------------------------------------------------------


def test_k8s_has_the_four_objects():
    assert set(_k8s()) == {"ConfigMap", "Deployment", "Service", "PodDisruptionBudget"}


def test_k8s_configmap_holds_real_settings_for_a_replicated_cluster():
    data = _k8s()["ConfigMap"]["data"]
    assert_settings(data)
    assert data["LIVEWIRE_REPLICATION_FACTOR"] == "3"
    assert len(data["LIVEWIRE_BROKER"].split(",")) == 3


def test_k8s_containers_run_pinned_images_and_cli_commands_from_the_configmap():
    objects = _k8s()
    pod = objects["Deployment"]["spec"]["template"]["spec"]
    containers = pod["initContainers"] + pod["containers"]
    for container in containers:
        assert container["image"] == f"livewire:{VERSION}"
        assert_cli_command(container["command"])
        assert container["envFrom"] == [{"configMapRef": {"name": objects["ConfigMap"]["metadata"]["name"]}}]
    assert [c["command"][1] for c in containers] == ["topics", "worker"]
    assert pod["securityContext"]["runAsNonRoot"] is True


def test_k8s_ports_and_probes_match_the_worker_web_server():
    objects = _k8s()
    web_port = int(objects["ConfigMap"]["data"]["LIVEWIRE_WEB_PORT"])
    template = objects["Deployment"]["spec"]["template"]
    (container,) = template["spec"]["containers"]
    (port,) = container["ports"]
    assert port["containerPort"] == web_port
    assert int(template["metadata"]["annotations"]["prometheus.io/port"]) == web_port
    assert template["metadata"]["annotations"]["prometheus.io/path"] in WEB_ROUTES
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["path"] in WEB_ROUTES
        assert container[probe]["httpGet"]["port"] == port["name"]
    (service_port,) = objects["Service"]["spec"]["ports"]
    assert service_port["targetPort"] == port["name"]
    assert service_port["port"] == web_port


@pytest.mark.parametrize("kind", ["Service", "PodDisruptionBudget"])
def test_k8s_selectors_pick_the_worker_pods(kind):
    objects = _k8s()
    labels = objects["Deployment"]["spec"]["template"]["metadata"]["labels"]
    spec = objects[kind]["spec"]
    selector = spec["selector"].get("matchLabels", spec["selector"])
    assert selector.items() <= labels.items()
    assert objects["Deployment"]["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_k8s_never_runs_more_workers_than_partitions():
    objects = _k8s()
    assert objects["Deployment"]["spec"]["replicas"] <= int(objects["ConfigMap"]["data"]["LIVEWIRE_PARTITIONS"])
