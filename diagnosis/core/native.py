"""Chooses, at import time, between the pure-Python engine and its mypyc build.

The hot engine modules (COMPILED_MODULES) are compiled with mypyc by `make engine`
(tools/build_engine.py) to meet the benchmark's throughput target; pure Python stays the fallback
and gives the same results.

The build lives out of the source tree, in build/engine/, never as .so files beside the .py files:
an extension module next to its source shadows it, so an edit would silently not run. Its stamp
records a fingerprint of the compiled sources, and a build is used only while that fingerprint
matches the sources on disk. Then a `sys.meta_path` finder loads exactly the compiled modules and
mypyc's shared group library (`<hash>__mypyc`) from the build. It loads all of them or none: the
modules of one mypyc group reach into each other's native classes, and a mix of compiled and pure
modules crashes the interpreter.

DIAGNOSIS_ENGINE selects: `auto` (default) the build when it is fresh, else pure Python with a
RuntimeWarning if a build exists but is stale; `python` always pure Python; `compiled` a fresh build
or ImportError. DIAGNOSIS_ENGINE_BUILD points at another build directory (the tests use copies).
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from pathlib import Path
from types import ModuleType

COMPILED_MODULES = (
    "diagnosis.core.answers",
    "diagnosis.core.conditions",
    "diagnosis.core.context",
    "diagnosis.core.engine",
    "diagnosis.core.facts",
    "diagnosis.core.numeric",
    "diagnosis.core.questionnaire",
    "diagnosis.core.scoring.common",
    "diagnosis.core.scoring.sme",
    "diagnosis.core.scoring.sme_model",
    "diagnosis.core.scoring.cmmm",
    "diagnosis.core.scoring.radar",
    "diagnosis.core.recommend.advice",
    "diagnosis.core.recommend.compiled",
    "diagnosis.core.recommend.triggered",
    "diagnosis.core.recommend.ladders",
    "diagnosis.core.recommend.priority",
    "diagnosis.core.recommend.sme_uplift",
    "diagnosis.core.recommend.cmmm_gaps",
    "diagnosis.core.recommend.scenarios_5g",
    "diagnosis.core.recommend.actions",
)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BUILD_DIR = ROOT / "build" / "engine"
STAMP_NAME = "stamp.json"
MODES = ("auto", "python", "compiled")
REBUILD = "run `make engine`"

_active = "python"


class NoBuild(Exception):
    """There is no compiled engine to load."""


class StaleBuild(NoBuild):
    """A compiled engine exists but does not match this checkout or this Python."""


def engine_kind() -> str:
    """'compiled' when the mypyc build was installed for this process, else 'python'."""
    return _active


def build_dir() -> Path:
    return Path(os.environ.get("DIAGNOSIS_ENGINE_BUILD") or DEFAULT_BUILD_DIR)


def source_path(module: str) -> Path:
    return ROOT.joinpath(*module.split(".")).with_suffix(".py")


def fingerprint() -> str:
    """sha256 over the compiled modules' names and source bytes, in order."""
    digest = hashlib.sha256()
    for module in COMPILED_MODULES:
        source = source_path(module).read_bytes()
        digest.update(f"{module} {len(source)}\n".encode())
        digest.update(source)
    return digest.hexdigest()


def fresh_build(directory: Path) -> dict[str, Path]:
    """Module name -> extension file of the build in `directory`; NoBuild or StaleBuild otherwise."""
    try:
        stamp = json.loads((directory / STAMP_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NoBuild(f"no compiled engine in {directory}: {REBUILD}") from None
    if stamp.get("python") != sys.implementation.cache_tag:
        raise StaleBuild(f"the compiled engine in {directory} was built for another Python: {REBUILD}")
    if stamp.get("modules") != list(COMPILED_MODULES) or stamp.get("fingerprint") != fingerprint():
        raise StaleBuild(f"diagnosis/core changed since the compiled engine was built: {REBUILD}")
    files = {}
    for name in [*COMPILED_MODULES, stamp["shared_library"]]:
        file = extension_file(directory, name)
        if file is None:
            raise StaleBuild(f"the compiled engine in {directory} lacks {name}: {REBUILD}")
        files[name] = file
    return files


def extension_file(directory: Path, module: str) -> Path | None:
    stem = directory.joinpath(*module.split("."))
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        if (file := stem.with_name(stem.name + suffix)).is_file():
            return file
    return None


class BuildFinder:
    """A sys.meta_path finder of the compiled modules (and their shared library) in the build.

    Not an importlib.abc.MetaPathFinder subclass: importing importlib.abc costs 20 ms at start.
    """

    def __init__(self, files: dict[str, Path]):
        self.files = files

    def find_spec(self, fullname: str, path: object = None, target: ModuleType | None = None):
        file = self.files.get(fullname)
        if file is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(file))
        return importlib.util.spec_from_file_location(fullname, file, loader=loader)


def install() -> None:
    """Loads the compiled engine for this process when DIAGNOSIS_ENGINE and the build allow it."""
    global _active
    mode = os.environ.get("DIAGNOSIS_ENGINE") or "auto"
    if mode not in MODES:
        raise ImportError(f"DIAGNOSIS_ENGINE must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "python" or _active == "compiled":
        return
    try:
        files = fresh_build(build_dir())
    except NoBuild as missing:
        if mode == "compiled":
            raise ImportError(f"DIAGNOSIS_ENGINE=compiled but {missing}") from None
        if isinstance(missing, StaleBuild):
            warnings.warn(str(missing), RuntimeWarning, stacklevel=2)
        return
    sys.meta_path.insert(0, BuildFinder(files))
    _active = "compiled"
