"""The examples' results must match tests/core/golden/ exactly (see golden_files.py to regenerate)."""

import pytest

from tests.core.golden_files import GOLDEN, render, scored_examples


def test_every_scored_example_has_a_golden_file():
    assert sorted(path.name for path in GOLDEN.glob("*.json")) == [path.name for path in scored_examples()]


@pytest.mark.parametrize("example", scored_examples(), ids=lambda path: path.stem)
def test_example_result_matches_its_golden_file(example):
    expected = (GOLDEN / example.name).read_text(encoding="utf-8")
    assert render(example) == expected, (
        "results changed: if intended, run python -m tests.core.golden_files --update"
    )
