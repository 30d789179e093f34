"""Compile the hot pure stages with mypyc into ``<prefix>/livewire-compiled`` (``make venv``, the image build).

    python scripts/compile_stages.py                      # this interpreter's environment (make venv)
    python scripts/compile_stages.py --prefix /opt/venv   # another environment of the same Python (Dockerfile)

Compiles a copy of the sources (so the manifest's digests are of exactly what was compiled),
writes the extensions and ``manifest.json`` (see ``streams/compiled.py``), then imports the
stages in the target environment to check that the compiled ones load. Never fails the build:
when mypyc, a C compiler or the Python headers are missing, or the check fails, it says so in a
banner and writes a manifest with ``compiled: false`` and the reason, and the pure-Python stages
run (the same results, slower).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from streams.compiled import MODULES, READ_TYPES_OF, build_dir, source_digest, source_file  # noqa: E402  (the repo's own copy)

GROUP = "streams.stages.native"
"""The mypyc group: one shared library ``streams.stages.native__mypyc`` holds every compiled stage."""


def compile_into(work: Path) -> dict[str, Path]:
    """Compile the copy of the repo in ``work``; return each module's (and the library's) extension file."""
    from mypyc.build import mypycify  # mypy's own compiler, pinned with mypy in pyproject.toml
    from setuptools import setup

    paths = [f"{name.replace('.', '/')}.py" for name in MODULES]
    options = ["--config-file", str(REPO / "pyproject.toml")]  # mypy's settings (strict, the pydantic plugin)
    extensions = mypycify([*options, *paths], opt_level="3", group_name=GROUP, target_dir=str(work / "c"))
    setup(
        name="livewire-compiled-stages",
        ext_modules=extensions,
        script_args=["--quiet", "build_ext", "--build-lib", str(work / "lib"), "--build-temp", str(work / "obj")],
    )
    built = {}
    for name in (*MODULES, f"{GROUP}__mypyc"):
        package, _, leaf = name.rpartition(".")
        (file,) = (work / "lib" / package.replace(".", "/")).glob(f"{leaf}.*.so")
        built[name] = file
    return built


def check(prefix: Path) -> str:
    """Import the stages with the target environment's Python; '' when the compiled ones loaded, else why not."""
    probe = (
        "import importlib, sys\n"
        f"names = {list(MODULES)!r}\n"
        "mods = [importlib.import_module(n) for n in names]\n"
        "pure = [m.__name__ for m in mods if not m.__file__.endswith('.so')]\n"
        "sys.exit('not compiled: ' + ', '.join(pure) if pure else 0)\n"
    )
    python = prefix / "bin" / "python"
    done = subprocess.run([str(python), "-c", probe], cwd=REPO, capture_output=True, text=True, check=False)
    return "" if done.returncode == 0 else (done.stderr.strip().splitlines() or ["failed"])[-1]


def missing_toolchain() -> str:
    """What this machine lacks to build a C extension (a compiler, Python's headers, mypyc), or ''."""
    compiler = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler} is not on PATH)"
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not headers.is_file():
        return f"no Python headers ({headers} is missing)"
    try:
        import mypyc  # noqa: F401  (only whether it is installed)
    except ImportError:
        return "mypyc is not installed (pip install '.[compile]')"
    return ""


def _mypy_version() -> str:
    from mypy.version import __version__

    return str(__version__)


def banner(reason: str) -> None:
    """Say loudly that the stages will run as pure Python, and why."""
    line = "!" * 78
    sys.stdout.write(
        f"{line}\n!! compile_stages: the stages were NOT compiled; they run as pure Python (slower, same results)\n"
    )
    sys.stdout.write(f"!! reason: {reason}\n{line}\n")


def build(prefix: Path, out: Path) -> dict[str, object]:
    """Compile into ``out``, check with ``prefix``'s Python; the manifest (``compiled`` false and why on failure)."""
    manifest: dict[str, object] = {"compiled": False}
    try:
        with tempfile.TemporaryDirectory(prefix="livewire-mypyc-") as tmp:
            work = Path(tmp)
            shutil.copytree(REPO / "streams", work / "streams", ignore=shutil.ignore_patterns("__pycache__", "*.so"))
            sources = {name: source_digest(source_file(work / "streams", name)) for name in (*MODULES, *READ_TYPES_OF)}
            cwd = Path.cwd()
            try:
                os.chdir(work)  # mypyc names modules by their paths from here
                built = compile_into(work)
            finally:
                os.chdir(cwd)
            files = {}
            for name, file in built.items():
                shutil.copy2(file, out / file.name)
                files[name] = file.name
        manifest = {"compiled": True, "mypy": _mypy_version(), "files": files, "sources": sources}
        (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
        problem = check(prefix)
        if problem:
            manifest = {"compiled": False, "reason": f"the compiled stages do not load: {problem}"}
    except BaseException as exc:  # (setuptools exits through SystemExit on a compiler error)
        if isinstance(exc, KeyboardInterrupt):
            raise
        traceback.print_exc()
        reason = f"{type(exc).__name__}: {exc}".strip()
        if isinstance(exc, SystemExit) and exc.code == 1:
            reason = "mypyc could not compile the stages (its errors are printed above)"
        manifest = {"compiled": False, "reason": reason}
    return manifest


def main() -> int:
    """Build, check and record; always 0 (a failed build falls back to the pure stages)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", type=Path, default=Path(sys.prefix), help="environment to compile into")
    prefix = parser.parse_args().prefix.resolve()
    out = build_dir(str(prefix))
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    started = time.monotonic()
    missing = missing_toolchain()
    manifest: dict[str, object] = {"compiled": False, "reason": missing} if missing else build(prefix, out)
    # With a toolchain, a failure is the code's (a stage mypyc cannot compile): tests/unit/test_compiled.py
    # fails on it. Without one, the pure stages are this machine's lot and the test skips.
    manifest["toolchain"] = not missing
    manifest["seconds"] = round(time.monotonic() - started, 1)
    if not manifest["compiled"]:
        for stale in out.glob("*.so"):
            stale.unlink()
        banner(str(manifest["reason"]))
    else:
        sys.stdout.write(
            f"compile_stages: {len(MODULES)} stages compiled with mypyc in {manifest['seconds']} s into {out}\n"
        )
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
