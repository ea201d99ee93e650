"""DIAGNOSIS_ENGINE picks the mypyc build or the sources; each case runs in a fresh interpreter.

The build is made by `make engine` (`make test` makes it first); these tests fail without one.
Copies of it in tmp_path, selected with DIAGNOSIS_ENGINE_BUILD, are made stale by editing their stamp.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from diagnosis.core import native

ROOT = Path(__file__).resolve().parents[2]
STALE = "diagnosis/core changed since the compiled engine was built: run `make engine`"
REPORT = """
import importlib, json, sys
from diagnosis.core import bundle, native
modules = {name: importlib.import_module(name) for name in native.COMPILED_MODULES}
print(json.dumps({
    "kind": native.engine_kind(),
    "files": {name: module.__file__ for name, module in modules.items()},
    "bundle": bundle.__file__,
    "shared": [module.__file__ for name, module in sys.modules.items() if name.endswith("__mypyc")],
}))
"""


def run_engine(mode: str, build: Path | None = None) -> subprocess.CompletedProcess:
    """Imports every compiled module in a new interpreter; stdout reports the engine and their files."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DIAGNOSIS_ENGINE")}
    env["DIAGNOSIS_ENGINE"] = mode
    if build is not None:
        env["DIAGNOSIS_ENGINE_BUILD"] = str(build)
    return subprocess.run(
        [sys.executable, "-c", REPORT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def loaded(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def assert_sources(report: dict) -> None:
    assert report["kind"] == "python"
    assert report["files"] == {name: str(native.source_path(name)) for name in native.COMPILED_MODULES}
    assert report["shared"] == []


def assert_compiled(report: dict, build: Path) -> None:
    """Every compiled module, and the group's shared library, are extension modules from `build`."""
    assert report["kind"] == "compiled"
    assert sorted(report["files"]) == sorted(native.COMPILED_MODULES)
    for name, file in report["files"].items():
        *package, module = name.split(".")
        assert Path(file).parent == build.joinpath(*package)
        assert Path(file).name.startswith(f"{module}.") and file.endswith(".so")
    assert [Path(file).parent for file in report["shared"]] == [build]
    assert Path(report["bundle"]) == native.source_path("diagnosis.core.bundle")


@pytest.fixture
def build_copy(tmp_path) -> Path:
    """A copy of the fresh build in build/engine."""
    assert (native.DEFAULT_BUILD_DIR / native.STAMP_NAME).is_file(), "no compiled engine: run `make engine`"
    return Path(shutil.copytree(native.DEFAULT_BUILD_DIR, tmp_path / "engine"))


def make_stale(build: Path) -> None:
    stamp_file = build / native.STAMP_NAME
    stamp = json.loads(stamp_file.read_text(encoding="utf-8"))
    stamp["fingerprint"] = "0" * 64
    stamp_file.write_text(json.dumps(stamp), encoding="utf-8")


def test_compiled_engine_loads_every_module_from_the_build():
    assert_compiled(loaded(run_engine("compiled")), native.DEFAULT_BUILD_DIR)


def test_a_fresh_build_is_used_by_default_from_wherever_it_lies(build_copy):
    assert_compiled(loaded(run_engine("auto", build_copy)), build_copy)


def test_python_engine_loads_the_sources_without_a_warning(build_copy):
    make_stale(build_copy)
    result = run_engine("python", build_copy)
    assert_sources(loaded(result))
    assert result.stderr == ""


def test_a_stale_build_falls_back_to_the_sources_with_a_warning(build_copy):
    make_stale(build_copy)
    result = run_engine("auto", build_copy)
    assert_sources(loaded(result))
    assert f"RuntimeWarning: {STALE}" in result.stderr


def test_no_build_means_the_sources_silently(tmp_path):
    result = run_engine("auto", tmp_path)
    assert_sources(loaded(result))
    assert result.stderr == ""


def test_compiled_engine_refuses_a_missing_build(tmp_path):
    result = run_engine("compiled", tmp_path)
    assert result.returncode == 1
    message = f"DIAGNOSIS_ENGINE=compiled but no compiled engine in {tmp_path}: run `make engine`"
    assert f"ImportError: {message}" in result.stderr


def test_compiled_engine_refuses_a_stale_build(build_copy):
    make_stale(build_copy)
    result = run_engine("compiled", build_copy)
    assert result.returncode == 1
    assert f"ImportError: DIAGNOSIS_ENGINE=compiled but {STALE}" in result.stderr


def test_an_unknown_engine_is_refused():
    result = run_engine("fast")
    assert result.returncode == 1
    assert "ImportError: DIAGNOSIS_ENGINE must be one of auto, python, compiled, not 'fast'" in result.stderr
