"""The compiled engine gives exactly the results of the pure-Python one.

Many seeded random answer sets over the real instrument (every question type, in and out of
range, partly answered), diagnosed once per engine in a fresh interpreter; the JSON must match to
the character, so 4 and 4.0 differ. Needs the build of `make engine` (`make test` makes it).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from diagnosis.core.bundle import load_bundle
from diagnosis.core.questionnaire import Question

ROOT = Path(__file__).resolve().parents[2]
SETS = 300
INDUSTRY_CODES = ["2110", "2021", "2614", "3011", "3251", "1952", "3041", "3879", "1399"]
DIAGNOSE_ALL = """
import json, sys
from diagnosis.core import native
from diagnosis.core.bundle import load_bundle
from diagnosis.core.engine import InvalidAnswers, diagnose
bundle = load_bundle()
results = []
for case in json.load(sys.stdin):
    try:
        results.append(diagnose(bundle, case["answers"], case["profile"]))
    except InvalidAnswers as error:
        results.append([[p.question, p.code, p.detail] for p in error.problems])
print(json.dumps({"engine": native.engine_kind(), "results": results}, ensure_ascii=False, sort_keys=True))
"""


def random_value(question: Question, rng: random.Random):
    kind = question.type
    if kind == "single":
        return rng.choice(sorted(question.option_ids))
    if kind == "multi":
        return rng.sample(sorted(question.option_ids - question.exclusive), rng.randint(0, 3))
    if kind == "yes_no":
        return rng.random() < 0.5
    if kind in ("integer", "scenario_level"):
        low = int(question.min or 0)
        return rng.randint(low, int(question.max) if question.max is not None else low + 5000)
    if kind in ("decimal", "percent"):
        low = question.min or 0
        high = question.max if question.max is not None else low + 5000
        return rng.choice([round(rng.uniform(low, high), rng.randint(0, 3)), int(rng.uniform(low, high))])
    return "说明"


def random_cases(count: int) -> list[dict]:
    rng = random.Random(20261127)
    questions = list(load_bundle().active_instrument().questions())
    cases = []
    for _ in range(count):
        share = rng.random()
        answers = {q.id: random_value(q, rng) for q in questions if rng.random() < share}
        profile = {"industry_code": rng.choice(INDUSTRY_CODES), "employees": rng.randint(5, 3000),
                   "above_designated_size": rng.random() < 0.6}
        cases.append({"answers": answers, "profile": profile})
    return cases


def diagnose_all(engine: str, cases: list[dict]) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DIAGNOSIS_ENGINE")}
    env["DIAGNOSIS_ENGINE"] = engine
    run = subprocess.run([sys.executable, "-c", DIAGNOSE_ALL], cwd=ROOT, env=env, input=json.dumps(cases),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_compiled_and_python_engines_give_the_same_results():
    cases = random_cases(SETS)
    compiled = diagnose_all("compiled", cases)
    python = diagnose_all("python", cases)
    assert (compiled["engine"], python["engine"]) == ("compiled", "python")
    scored = sum(isinstance(result, dict) for result in python["results"])
    assert scored > SETS // 2, "most random answer sets should score, not be refused"
    for case, mine, reference in zip(cases, compiled["results"], python["results"], strict=True):
        assert json.dumps(mine, sort_keys=True) == json.dumps(reference, sort_keys=True), case
