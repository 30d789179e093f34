"""The worker's gazetteers, built in a child process: the same lookups, the same extraction, a smaller heap."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from streams.stages.once import Once

# Run in a fresh interpreter: preload forks, and the test process may hold threads.
_CHECK = textwrap.dedent(
    """
    def peak_kb():
        # VmHWM, not ru_maxrss: ru_maxrss keeps the peak of the process image before exec (pytest's)
        status = open("/proc/self/status").read()
        return int(status.split("VmHWM:")[1].split()[0])
    from streams.preload import preload_gazetteers
    from streams.stages import entities, places
    from streams.stages.enrich import enrich
    from streams.models import Post

    assert preload_gazetteers(), "the child did not build the gazetteers"
    after_preload = peak_kb()
    assert entities._gazetteer() == entities._gazetteer.build()
    assert places._index() == places._index.build()
    post = Post(source="t", feed_id="f", post_id="p", title="Floods in Sindh and Kharkiv oblast",
                body="Officials in Karachi said 12 people were killed near Hyderabad.")
    print(after_preload, enrich(post, fingerprint="x").model_dump_json())
    """
)
_IN_PROCESS = textwrap.dedent(
    """
    def peak_kb():
        # VmHWM, not ru_maxrss: ru_maxrss keeps the peak of the process image before exec (pytest's)
        status = open("/proc/self/status").read()
        return int(status.split("VmHWM:")[1].split()[0])
    from streams.stages import entities, places
    from streams.stages.enrich import enrich
    from streams.models import Post

    entities.extract_entities("")
    places.locate("")
    built_here = peak_kb()
    post = Post(source="t", feed_id="f", post_id="p", title="Floods in Sindh and Kharkiv oblast",
                body="Officials in Karachi said 12 people were killed near Hyderabad.")
    print(built_here, enrich(post, fingerprint="x").model_dump_json())
    """
)


def _run(code: str) -> tuple[int, str]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    peak_kb, enriched = out.stdout.strip().split(" ", 1)
    return int(peak_kb), enriched


def test_preloaded_gazetteers_are_the_built_ones_and_cost_less_memory():
    preloaded_peak, preloaded = _run(_CHECK)
    built_peak, built = _run(_IN_PROCESS)
    assert preloaded == built
    assert '"Karachi"' in preloaded
    # The child's parse never reaches this heap: the peak is well below building in place.
    assert preloaded_peak < built_peak * 0.8, (preloaded_peak, built_peak)


def test_once_builds_on_first_use_and_an_installed_value_wins():
    calls: list[int] = []

    def build() -> list[int]:
        calls.append(1)
        return [len(calls)]

    built = Once(build)
    assert built() == [1]
    assert built() == [1]
    assert calls == [1]
    installed = Once(build)
    installed.install([42])
    assert installed() == [42]
    assert installed.build() == [2]  # built afresh, not kept
    assert installed() == [42]
