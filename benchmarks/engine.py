"""Engine speed against an earlier commit, and questionnaire load time, on one core.

Two child processes take turns (alternating rounds, so drift in the machine's speed hits both): one
runs this checkout, one a copy of `--against REF` (default 196ab30, where this work started)
extracted to a temp dir, with DIAGNOSIS_ENGINE=python since that commit still had a mypyc switch.
Each times diagnose() on the example answer files, in CPU time, as the median of short windows
(these machines are noisy; ranges are printed too), and the median cold load of the whole
questionnaire tree. Targets: speed ratio (new / old) >= 0.9, load < 200 ms.

    python benchmarks/engine.py [--against REF]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_AGAINST = "196ab30"
TARGET_RATIO = 0.9
TARGET_LOAD_MS = 200
ROUNDS = 5
WINDOWS = 3
WINDOW_SECONDS = 0.4
LOAD_RUNS = 5


def answer_sets() -> list[dict]:
    """The example answer files that score (one per industry module plus the minimal one)."""
    paths = sorted((ROOT / "examples").glob("*.json"))
    return [json.loads(path.read_text(encoding="utf-8")) for path in paths if path.stem != "invalid"]


def measure(code_root: str) -> dict[str, list[float]]:
    """In a child: ms per diagnose() in each window, and ms per cold load, of the code at code_root."""
    sys.path.insert(0, code_root)
    from diagnosis.core.bundle import DEFAULT_ROOT, check_bundle, load_bundle
    from diagnosis.core.engine import diagnose

    assert DEFAULT_ROOT.is_relative_to(code_root), f"{DEFAULT_ROOT} is not the code under test"

    loads = []
    for _ in range(LOAD_RUNS):
        start = time.process_time()
        check_bundle(DEFAULT_ROOT)
        loads.append((time.process_time() - start) * 1000)
    bundle, sets = load_bundle(), answer_sets()
    diagnose_ms = []
    for _ in range(WINDOWS):
        count, start = 0, time.process_time()
        while time.process_time() < start + WINDOW_SECONDS:
            for data in sets:
                diagnose(bundle, data["answers"], data["profile"])
            count += len(sets)
        diagnose_ms.append((time.process_time() - start) * 1000 / count)
    return {"diagnose_ms": diagnose_ms, "load_ms": loads}


def run_child(code_root: Path, env: dict[str, str]) -> dict[str, list[float]]:
    out = subprocess.run([sys.executable, __file__, "--child", str(code_root)], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def extract(ref: str, into: Path) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "diagnosis", "questionnaires"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def spread(values: list[float], digits: int) -> str:
    low, median, high = (f"{v:.{digits}f}" for v in (min(values), statistics.median(values), max(values)))
    return f"{median} ms (median of {len(values)}; {low}-{high})"


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def compare(ref: str) -> None:
    new: dict[str, list[float]] = {"diagnose_ms": [], "load_ms": []}
    old: dict[str, list[float]] = {"diagnose_ms": [], "load_ms": []}
    with tempfile.TemporaryDirectory() as tmp:
        extract(ref, Path(tmp))
        old_env = {**os.environ, "DIAGNOSIS_ENGINE": "python"}
        for _ in range(ROUNDS):
            for totals, code_root, env in ((new, ROOT, dict(os.environ)), (old, Path(tmp), old_env)):
                for key, values in run_child(code_root, env).items():
                    totals[key] += values
    ratio = statistics.median(old["diagnose_ms"]) / statistics.median(new["diagnose_ms"])
    print(f"engine: one diagnose() takes {spread(new['diagnose_ms'], 3)} here, "
          f"{spread(old['diagnose_ms'], 3)} at {ref} (CPU time, one core)")
    print(f"engine: speed ratio (new / old) {ratio:.2f} (target >= {TARGET_RATIO}) "
          f"{'OK' if ratio >= TARGET_RATIO else 'BELOW TARGET'}")
    load_ms = statistics.median(new["load_ms"])
    print(f"engine: questionnaires loaded in {spread(new['load_ms'], 1)} cold, "
          f"{statistics.median(old['load_ms']):.1f} ms at {ref} (target < {TARGET_LOAD_MS} ms) "
          f"{'OK' if load_ms < TARGET_LOAD_MS else 'ABOVE TARGET'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default=DEFAULT_AGAINST, help="git commit to compare with")
    parser.add_argument("--child", metavar="CODE_ROOT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    pin_to_one_core()
    if args.child:
        print(json.dumps(measure(args.child)))
    else:
        compare(args.against)


if __name__ == "__main__":
    main()
