"""Results must match the golden files exactly (see golden_files.py to regenerate)."""

import json

import pytest

from tests.core.golden_files import (
    GOLDEN,
    RANDOM_DIGESTS,
    RANDOM_SETS,
    random_cases,
    random_digest,
    render,
    scored_examples,
)


def test_every_scored_example_has_a_golden_file():
    assert sorted(path.name for path in GOLDEN.glob("*.json")) == [path.name for path in scored_examples()]


@pytest.mark.parametrize("example", scored_examples(), ids=lambda path: path.stem)
def test_example_result_matches_its_golden_file(example):
    expected = (GOLDEN / example.name).read_text(encoding="utf-8")
    assert render(example) == expected, (
        "results changed: if intended, run python -m tests.core.golden_files --update"
    )


def test_seeded_random_answer_sets_give_the_golden_results():
    """300 random answer sets (valid and not) give byte for byte the results they gave before."""
    expected = json.loads(RANDOM_DIGESTS.read_text(encoding="utf-8"))
    cases = random_cases()
    assert len(expected) == len(cases) == RANDOM_SETS
    changed = [index for index, (case, digest) in enumerate(zip(cases, expected, strict=True))
               if random_digest(case) != digest]
    assert not changed, f"results of random answer sets {changed[:10]} changed (golden_files.py)"
