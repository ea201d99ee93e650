"""Golden results of the example answer files.

The files in tests/core/golden/ are written only by running, deliberately:

    .venv/bin/python -m tests.core.golden_files --update

after checking that a change in the results is intended; test_golden.py compares them exactly.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from diagnosis.core.bundle import load_bundle
from diagnosis.core.engine import diagnose

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"


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


if __name__ == "__main__":
    main()
