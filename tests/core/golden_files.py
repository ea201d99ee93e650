"""Golden results: the example answer files in full, and digests of many seeded random answer sets.

The files in tests/core/golden/ and tests/core/golden_random.json are written only by running,
deliberately:

    .venv/bin/python -m tests.core.golden_files --update

after checking that a change in the results is intended; test_golden.py compares them exactly.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path

from diagnosis.core.bundle import load_bundle
from diagnosis.core.engine import InvalidAnswers, diagnose
from diagnosis.core.questionnaire import Question

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
RANDOM_DIGESTS = Path(__file__).resolve().parent / "golden_random.json"
RANDOM_SETS = 300
RANDOM_SEED = 20261127
INDUSTRY_CODES = ["2110", "2021", "2614", "3011", "3251", "1952", "3041", "3879", "1399"]


def scored_examples() -> list[Path]:
    return sorted(path for path in EXAMPLES.glob("*.json") if path.stem != "invalid")


def render(example: Path) -> str:
    data = json.loads(example.read_text(encoding="utf-8"))
    result = diagnose(
        load_bundle(),
        data.get("answers", {}),
        data.get("profile", {}),
        data.get("questionnaire", {}).get("id"),
    )
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


def random_value(question: Question, rng: random.Random):
    """A value of the question's type, in or out of its range (refusals are results too)."""
    kind = question.type
    if kind == "single":
        return rng.choice(sorted(question.option_ids))
    if kind == "multi":
        return rng.sample(sorted(question.option_ids - question.exclusive), rng.randint(0, 3))
    if kind == "yes_no":
        return rng.random() < 0.5
    if kind in ("integer", "scenario_level"):
        floor = int(question.min or 0)
        return rng.randint(floor, int(question.max) if question.max is not None else floor + 5000)
    if kind in ("decimal", "percent"):
        low = question.min or 0
        high = question.max if question.max is not None else low + 5000
        return rng.choice([round(rng.uniform(low, high), rng.randint(0, 3)), int(rng.uniform(low, high))])
    return "说明"


def random_cases(count: int = RANDOM_SETS) -> list[dict]:
    """Seeded answer sets over the real instrument: every question type, partly answered."""
    rng = random.Random(RANDOM_SEED)
    questions = sorted(load_bundle().active_instrument().questions(), key=lambda question: question.id)
    cases = []
    for _ in range(count):
        share = rng.random()
        answers = {q.id: random_value(q, rng) for q in questions if rng.random() < share}
        profile = {"industry_code": rng.choice(INDUSTRY_CODES), "employees": rng.randint(5, 3000),
                   "above_designated_size": rng.random() < 0.6}
        cases.append({"answers": answers, "profile": profile})
    return cases


def random_digest(case: dict) -> str:
    """sha256 of the result's JSON as stored (key order and 4 against 4.0 count), or of the refusal."""
    outcome: dict | list
    try:
        outcome = diagnose(load_bundle(), case["answers"], case["profile"])
    except InvalidAnswers as error:
        outcome = [[problem.question, problem.code, problem.detail] for problem in error.problems]
    return hashlib.sha256(json.dumps(outcome, ensure_ascii=False).encode()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--update", action="store_true", help="rewrite tests/core/golden/*.json")
    if not parser.parse_args().update:
        parser.error("pass --update to rewrite the golden files")
    GOLDEN.mkdir(exist_ok=True)
    for example in scored_examples():
        (GOLDEN / example.name).write_text(render(example), encoding="utf-8")
        print(f"wrote {GOLDEN / example.name}")
    digests = [random_digest(case) for case in random_cases()]
    RANDOM_DIGESTS.write_text(json.dumps(digests, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {RANDOM_DIGESTS}")


if __name__ == "__main__":
    main()
