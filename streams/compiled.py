"""Load the mypyc-compiled stages in place of their sources, but only when built from exactly these sources.

``make venv`` (and the image build) runs ``scripts/compile_stages.py``, which compiles
:data:`MODULES` with mypyc into ``<sys.prefix>/livewire-compiled/`` and writes a manifest
naming each extension file and the SHA-256 of the source it was built from.
:func:`install`, called by ``streams.stages`` before any stage is imported, puts a finder
in front of the import system that loads those extensions, when every one of them was built
from the source beside it now. Otherwise (no build, a failed build, a stage edited since the
build, or ``LIVEWIRE_PURE_PYTHON=1``) the pure-Python modules load as they always did: same
results, slower. A stale build says so on stderr, because an edited stage that silently ran
its old compiled code would make the edit look like it did nothing.

The compiled modules keep their names (``streams.stages.entities``), so nothing else changes;
only their functions are native, which is why tests must not monkeypatch them (a compiled
caller calls a compiled callee directly, past the module's attribute).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, Final

__all__ = [
    "BUILD_DIR_NAME",
    "MODULES",
    "PURE_ENV",
    "READ_TYPES_OF",
    "Build",
    "build_dir",
    "install",
    "read_build",
    "source_digest",
    "source_file",
]

MODULES: Final = (
    "streams.stages.textindex",
    "streams.stages.once",
    "streams.stages.entities",
    "streams.stages.places",
    "streams.stages.quantities",
    "streams.stages.classify",
    "streams.stages.story",
    "streams.stages.claims",
    "streams.stages.enrich",
)
"""The stages compiled: the enrich path, each mypy --strict clean. One mypyc group: they call each other natively."""

READ_TYPES_OF: Final = ("streams.models",)
"""Modules not compiled whose declarations the compiled code relies on (mypyc checks the models' field types
at run time): a change to one makes the build stale too."""

BUILD_DIR_NAME: Final = "livewire-compiled"
PURE_ENV: Final = "LIVEWIRE_PURE_PYTHON"
"""Set to 1 to run the pure-Python stages even when a fresh compiled build exists (benchmarks compare the two)."""


def build_dir(prefix: str | None = None) -> Path:
    """Where the compiled stages of the environment at ``prefix`` (this interpreter's by default) live."""
    return Path(prefix or sys.prefix) / BUILD_DIR_NAME


def source_file(root: Path, name: str) -> Path:
    """The source of module ``name`` (``streams.x.y``) under ``root``, the ``streams`` package's directory."""
    return root.joinpath(*name.split(".")[1:]).with_suffix(".py")


def source_digest(path: Path) -> str:
    """The SHA-256 of a source file's bytes (what the manifest records per module)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Build:
    """What a build's manifest says, and whether it still matches the sources."""

    def __init__(self, directory: Path, manifest: dict[str, Any]) -> None:
        self.directory = directory
        self.compiled: bool = bool(manifest.get("compiled"))
        self.reason: str = str(manifest.get("reason", ""))
        self.toolchain: bool = bool(manifest.get("toolchain"))
        """Whether the build machine had a C compiler, Python's headers and mypyc (so a failure is the code's)."""
        self.files: dict[str, str] = dict(manifest.get("files", {}))
        self.sources: dict[str, str] = dict(manifest.get("sources", {}))

    def stale(self, root: Path) -> list[str]:
        """The modules whose source under ``root`` (the ``streams`` directory) differs from the one built from."""
        out = []
        for name, digest in self.sources.items():
            source = source_file(root, name)
            if not source.is_file() or source_digest(source) != digest:
                out.append(name)
        return out


def read_build(directory: Path | None = None) -> Build | None:
    """The build in ``directory`` (this environment's by default), or None when there is no readable manifest."""
    directory = directory or build_dir()
    try:
        manifest = json.loads((directory / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    return Build(directory, manifest) if isinstance(manifest, dict) else None


class _CompiledFinder(importlib.abc.MetaPathFinder):
    """Finds the compiled extension of each module of a fresh build (and of its shared library)."""

    def __init__(self, files: dict[str, Path]) -> None:
        self.files = files

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        """A spec loading the extension built for ``fullname``, or None for every other module."""
        file = self.files.get(fullname)
        if file is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(file))
        return importlib.util.spec_from_file_location(fullname, file, loader=loader)


def install(package_dir: str) -> bool:
    """Load the compiled stages from now on if this environment has a fresh build; True when it does."""
    if any(isinstance(finder, _CompiledFinder) for finder in sys.meta_path):
        return True
    if os.environ.get(PURE_ENV) == "1":
        return False
    build = read_build()
    if build is None or not build.compiled or not build.files:
        return False
    stale = build.stale(Path(package_dir).parent)
    if stale:
        sys.stderr.write(
            f"livewire: the compiled stages are older than their sources ({', '.join(stale)}); "
            "running the pure-Python stages (make venv compiles them again)\n"
        )
        return False
    sys.meta_path.insert(0, _CompiledFinder({name: build.directory / file for name, file in build.files.items()}))
    return True
