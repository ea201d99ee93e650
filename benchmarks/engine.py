"""Engine throughput and questionnaire load time, on one core, over the real instrument.

Prints assessments scored and recommended per second (diagnose() on the example answer files,
round-robin) and the median cold load time of the whole questionnaire tree (no cache).
Throughput is counted against the process's CPU time, pinned to one core, so other load on the
machine does not distort it.
Targets: >= 5,000 assessments/s and < 200 ms load.
The first line says which engine ran: the mypyc build (`make engine`) or pure Python.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from diagnosis.core.answers import validate_answers  # noqa: E402
from diagnosis.core.bundle import DEFAULT_ROOT, check_bundle, load_bundle  # noqa: E402
from diagnosis.core.engine import diagnose  # noqa: E402
from diagnosis.core.facts import compute_facts  # noqa: E402
from diagnosis.core.native import engine_kind  # noqa: E402
from diagnosis.core.scoring.cmmm import score_cmmm  # noqa: E402
from diagnosis.core.scoring.radar import score_radar  # noqa: E402
from diagnosis.core.scoring.sme import score_sme  # noqa: E402

TARGET_RATE = 5000
TARGET_LOAD_MS = 200
LOAD_RUNS = 7


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


def throughput(run, seconds: float = 3.0) -> float:
    bundle = load_bundle()
    sets = realistic_answer_sets()
    count = 0
    start = time.process_time()
    deadline = start + seconds
    while time.process_time() < deadline:
        for data in sets:
            run(bundle, data["answers"], data["profile"])
        count += len(sets)
    return count / (time.process_time() - start)


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
    print(f"engine: measuring the {engine_kind()} engine (DIAGNOSIS_ENGINE=auto|python|compiled)")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    load_ms = median_load_ms()
    rate = throughput(diagnose)
    scoring_rate = throughput(score_only)
    print(f"engine: {rate:,.0f} assessments scored+recommended per second on one core "
          f"(CPU time; target >= {TARGET_RATE:,}) {'OK' if rate >= TARGET_RATE else 'BELOW TARGET'}")
    print(f"engine: {scoring_rate:,.0f} assessments validated and scored (no recommendations) per second")
    print(f"engine: questionnaires loaded in {load_ms:.1f} ms median of {LOAD_RUNS} cold loads, CPU time "
          f"(target < {TARGET_LOAD_MS} ms) {'OK' if load_ms < TARGET_LOAD_MS else 'ABOVE TARGET'}")


if __name__ == "__main__":
    main()
