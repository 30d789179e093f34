"""Print the figures of the last fault-test run as the Markdown table of docs/reliability.md.

python -m pytest -q tests/reliability && python -m tests.reliability.report
"""

from __future__ import annotations

import json
import sys

from tests.reliability.oracle import RESULTS_DIR

SCENARIOS = {
    "worker-kill-9": "worker `kill -9` mid-stream, restarted",
    "two-workers-one-killed": "two workers, one `kill -9`ed",
    "broker-sigterm": "broker SIGTERM while producing, restarted",
    "broker-sigkill": "broker SIGKILL while producing, restarted",
    "slow-downstream": "ledger slowed to ~16 claims/s, 50 MB backlog",
}


def _seconds(value: object) -> str:
    return "—" if value is None else f"{value} s"


def main() -> int:
    """Print the table; exit 1 when a scenario has no figures yet."""
    rows = [
        "| fault | posts sent | acknowledged | lost | duplicated | recovery | caught up |",
        "|---|---|---|---|---|---|---|",
    ]
    missing = []
    for scenario, title in SCENARIOS.items():
        path = RESULTS_DIR / f"{scenario}.json"
        if not path.is_file():
            missing.append(scenario)
            continue
        r = json.loads(path.read_text())
        lost = r["lost"] + r["unprocessed"] + r["unalerted"]
        rows.append(
            f"| {title} | {r['sent']} | {r['acknowledged'] or r['sent']} | {lost} | {r['duplicated']} "
            f"| {_seconds(r['recovery_s'])} | {_seconds(r['catch_up_s'])} |"
        )
    print("\n".join(rows))
    if missing:
        print(f"no figures for {', '.join(missing)} in {RESULTS_DIR}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
