"""Compiles the hot engine modules (diagnosis.core.native.COMPILED_MODULES) with mypyc into build/engine/.

Run by `make engine`, or directly in a deploy image: `python tools/build_engine.py`. The extension
modules land in build/engine/diagnosis/core/... (never beside the sources) and the stamp is written
last, so an interrupted or failed build leaves no stamp and the pure-Python engine is used. Type
errors fail the build (exit 1) with mypy's messages: mypyc relies on the annotations at run time.

ENGINE_MYPY_CONFIG names a mypy config file to use instead of the defaults (recorded in the stamp).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import mypy.version
from mypyc.build import include_dir, mypycify
from mypyc.common import RUNTIME_C_FILES
from setuptools import Extension, setup

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The build reads the sources' fingerprint and must not load the build it replaces.
os.environ["DIAGNOSIS_ENGINE"] = "python"

from diagnosis.core import native  # noqa: E402

BUILD_DIR = native.DEFAULT_BUILD_DIR.relative_to(ROOT)  # relative paths keep build-temp's tree flat
TEMP_DIR = BUILD_DIR.with_name("engine-temp")


def mypy_options() -> list[str]:
    options = ["--ignore-missing-imports", "--cache-dir", str(TEMP_DIR / "mypy-cache")]
    config = os.environ.get("ENGINE_MYPY_CONFIG")
    return [*options, "--config-file", config] if config else options


def depend_on_included_runtime(extensions: list[Extension]) -> None:
    """Points the extensions' runtime-library dependencies at the files mypyc really #includes.

    mypyc lists them under target_dir, where it does not copy them; setuptools takes a missing
    dependency as changed and would recompile the whole group on every build.
    """
    for ext in extensions:
        ext.depends = [
            os.path.join(include_dir(), Path(dep).name) if Path(dep).name in RUNTIME_C_FILES else dep
            for dep in ext.depends
        ]


def main() -> None:
    os.chdir(ROOT)
    started = time.time()
    stamp_file = BUILD_DIR / native.STAMP_NAME
    stamp_file.unlink(missing_ok=True)
    fingerprint = native.fingerprint()  # before compiling: an edit made meanwhile leaves the build stale
    sources = [str(native.source_path(module).relative_to(ROOT)) for module in native.COMPILED_MODULES]
    extensions = mypycify([*sources, *mypy_options()], opt_level="3", target_dir=str(TEMP_DIR / "c"))
    depend_on_included_runtime(extensions)
    setup(
        name="diagnosis-engine",
        packages=[],
        py_modules=[],
        ext_modules=extensions,
        script_args=[
            "-q", "build_ext", "--build-lib", str(BUILD_DIR), "--build-temp", str(TEMP_DIR), "-j", "2"
        ],
    )
    stamp = {
        "fingerprint": fingerprint,
        "modules": list(native.COMPILED_MODULES),
        "shared_library": next(ext.name for ext in extensions if ext.name.endswith("__mypyc")),
        "python": sys.implementation.cache_tag,
        "mypy": mypy.version.__version__,
        "mypy_config": os.environ.get("ENGINE_MYPY_CONFIG"),
    }
    stamp_file.write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
    # Dated from the start, so that make sees a source edited during the build as newer and rebuilds.
    os.utime(stamp_file, (started, started))
    print(f"engine: {len(sources)} modules compiled into {BUILD_DIR} in {time.time() - started:.0f} s")


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":
        # mypyc's C output follows set order, so it differs from run to run unless the hash seed is
        # fixed; with it, unchanged sources give the same C and setuptools skips the 30 s compile.
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable, *sys.argv])
    main()
