"""The mypyc build of the stages: loaded when it matches the sources, never when it does not."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import streams.stages
from streams.compiled import MODULES, PURE_ENV, READ_TYPES_OF, read_build, source_digest, source_file

REPO = Path(__file__).resolve().parents[2]
STAGES = Path(streams.stages.__path__[0])
ROOT = STAGES.parent


def test_the_stages_imported_are_the_ones_the_build_says_it_compiled():
    build = read_build()
    if build is not None and not build.compiled and build.toolchain:
        pytest.fail(f"the stages did not compile on a machine that can compile them: {build.reason}")
    if build is None or not build.compiled:
        pytest.skip(f"no compiled build in this environment ({build.reason if build else 'no manifest'})")
    assert set(build.files) == {*MODULES, "streams.stages.native__mypyc"}
    stale = build.stale(ROOT)
    for name in MODULES:
        module = importlib.import_module(name)
        assert module.__file__ is not None
        compiled = module.__file__.endswith(".so")
        if os.environ.get(PURE_ENV) == "1" or stale:
            assert not compiled, f"{name} loaded its compiled build although it is {'stale' if stale else 'disabled'}"
        else:
            assert compiled, f"{name} loaded {module.__file__}, not the fresh compiled build"
            assert Path(module.__file__).is_relative_to(build.directory)


def test_an_edited_stage_or_model_makes_the_whole_build_stale(tmp_path: Path):
    names = (*MODULES, *READ_TYPES_OF)
    for name in names:
        copy = source_file(tmp_path, name)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(source_file(ROOT, name).read_bytes())
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "compiled": True,
                "files": {name: "x.so" for name in MODULES},
                "sources": {name: source_digest(source_file(tmp_path, name)) for name in names},
            }
        )
    )
    build = read_build(tmp_path)
    assert build is not None and build.compiled
    assert build.stale(tmp_path) == []
    with (tmp_path / "stages" / "claims.py").open("a") as edited:
        edited.write("\n# an engineer's edit\n")
    assert build.stale(tmp_path) == ["streams.stages.claims"]
    with (tmp_path / "models.py").open("a") as edited:
        edited.write("\n# a field's type changed\n")
    assert build.stale(tmp_path) == ["streams.stages.claims", "streams.models"]


def test_pure_python_is_chosen_by_the_environment_switch():
    probe = "import streams.stages.entities as m; print(m.__file__)"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, PURE_ENV: "1"},
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == str(STAGES / "entities.py")
    assert "compiled stages are older" not in done.stderr


def test_the_compile_extra_pins_the_same_mypy_as_dev():
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    (compile_pin,) = [pin for pin in extras["compile"] if pin.startswith("mypy==")]
    assert compile_pin in extras["dev"]
