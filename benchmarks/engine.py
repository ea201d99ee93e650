"""Engine throughput and questionnaire load time, on one core, over the real instrument.

Prints assessments scored and recommended per second (diagnose() on the example answer files,
round-robin) and the median cold load time of the whole questionnaire tree (no cache).
Throughput is counted against the process's CPU time, pinned to one core, as the median of short
windows (these machines are noisy; the range is printed too). With the compiled engine it also
measures pure Python, in a child process, in alternating rounds, and prints the speed-up.
Targets: >= 5,000 assessments/s and < 200 ms load.
The first line says which engine ran: the mypyc build (`make engine`) or pure Python.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from diagnosis.core.answers import validate_answers  # noqa: E402
from diagnosis.core.bundle import DEFAULT_ROOT, check_bundle, load_bundle  # noqa: E402
from diagnosis.core.engine import diagnose  # noqa: E402
from diagnosis.core.facts import compute_facts  # noqa: E402

from diagnosis.core.scoring.cmmm import score_cmmm  # noqa: E402
from diagnosis.core.scoring.radar import score_radar  # noqa: E402
from diagnosis.core.scoring.sme import score_sme  # noqa: E402

TARGET_RATE = 5000
TARGET_LOAD_MS = 200
LOAD_RUNS = 7
ROUNDS = 3  # compiled and pure Python take turns, so drift in the machine's speed hits both
ROUND_WINDOWS = 3
WINDOW_SECONDS = 0.5


def realistic_answer_sets() -> list[dict]:
    """The example answer files that score (one per industry module plus the minimal one)."""
    sets = []
    for path in sorted((ROOT / "examples").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if path.stem != "invalid":
            sets.append(data)
    return sets


def score_only(bundle, answers: dict, profile: dict) -> None:
    """diagnose() without the recommendations: validation, facts, SME, CMMM and radar."""
    instrument = bundle.active_instrument()
    full_profile = bundle.profile(profile)
    check = validate_answers(instrument, answers, full_profile)
    facts = compute_facts(instrument, check.values, full_profile)
    sme = score_sme(bundle.sme_model, check.values, facts)
    cmmm = score_cmmm(bundle.cmmm_model, check.values, True)
    score_radar(bundle.radar_model, sme, cmmm, facts)


def throughput(run, windows: int = ROUND_WINDOWS, seconds: float = WINDOW_SECONDS) -> list[float]:
    """Assessments per CPU second in each of `windows` windows."""
    bundle = load_bundle()
    sets = realistic_answer_sets()
    rates = []
    for _ in range(windows):
        count = 0
        start = time.process_time()
        deadline = start + seconds
        while time.process_time() < deadline:
            for data in sets:
                run(bundle, data["answers"], data["profile"])
            count += len(sets)
        rates.append(count / (time.process_time() - start))
    return rates


def python_engine_rates() -> list[float]:
    """throughput(diagnose) of the pure-Python engine, measured in a child process."""
    env = {**os.environ, "DIAGNOSIS_ENGINE": "python"}
    out = subprocess.run([sys.executable, __file__, "--rates"], env=env, check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def spread(rates: list[float]) -> str:
    return (f"{statistics.median(rates):,.0f} (median of {len(rates)} windows; "
            f"{min(rates):,.0f}-{max(rates):,.0f})")


def median_load_ms() -> float:
    timings = []
    for _ in range(LOAD_RUNS):
        start = time.process_time()
        problems = check_bundle(DEFAULT_ROOT)
        timings.append((time.process_time() - start) * 1000)
        if problems:
            raise SystemExit("\n".join(map(str, problems)))
    return statistics.median(timings)


def main() -> None:
    pin_to_one_core()
    if sys.argv[1:] == ["--rates"]:
        print(json.dumps(throughput(diagnose)))
        return
    kind = engine_kind()
    print(f"engine: measuring the {kind} engine (DIAGNOSIS_ENGINE=auto|python|compiled)")
    load_ms = median_load_ms()
    rates: list[float] = []
    python_rates: list[float] = []
    for _ in range(ROUNDS):
        rates += throughput(diagnose)
        if kind == "compiled":
            python_rates += python_engine_rates()
    rate = statistics.median(rates)
    print(f"engine: {spread(rates)} assessments scored+recommended per second on one core "
          f"(CPU time; target >= {TARGET_RATE:,}) {'OK' if rate >= TARGET_RATE else 'BELOW TARGET'}")
    if python_rates:
        print(f"engine: pure Python in the same rounds: {spread(python_rates)} per second; "
              f"compiled is {rate / statistics.median(python_rates):.2f}x as fast")
    print(f"engine: {spread(throughput(score_only))} assessments validated and scored "
          "(no recommendations) per second")
    print(f"engine: questionnaires loaded in {load_ms:.1f} ms median of {LOAD_RUNS} cold loads, CPU time "
          f"(target < {TARGET_LOAD_MS} ms) {'OK' if load_ms < TARGET_LOAD_MS else 'ABOVE TARGET'}")


if __name__ == "__main__":
    main()
