"""The pipeline catalogue: every engine recommendation kind has a project kind or is declared no
project, and a broken file is refused with its path."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from diagnosis.core.pipeline_catalogue import PATH, CatalogueError, catalogue, load

GOLDEN = Path(__file__).resolve().parents[1] / "core" / "golden"

ENGINE_KINDS = {"5g_scenario", "cloud_step", "smart_factory", "robot", "green", "industry", "foundation",
                "cmmm_gap", "sme_uplift", "complete_cmmm"}


def test_every_recommendation_of_the_catalogues_is_a_project_of_a_listed_kind_or_none():
    pipeline = catalogue()
    listed = {kind for project in pipeline.project_kinds.values() for kind in project.recommendation_kinds}
    assert ENGINE_KINDS - listed == set(pipeline.not_projects) == {"complete_cmmm"}
    assert pipeline.kind_for_recommendation("green.factory", "green") == "green_factory"
    assert pipeline.kind_for_recommendation("green.energy_management", "green") == "energy"
    assert pipeline.kind_for_recommendation("foundation.plant_network", "foundation") == "tech_upgrade"
    assert not pipeline.becomes_project("complete_cmmm") and pipeline.becomes_project("robot")


def test_the_examples_recommend_only_kinds_placed_above():
    """A new engine recommendation kind must be placed in pipeline.yaml (and listed here)."""
    kinds = {rec["kind"] for path in GOLDEN.glob("*.json")
             for rec in json.loads(path.read_text(encoding="utf-8"))["recommendations"]}
    assert kinds and kinds <= ENGINE_KINDS


@pytest.mark.parametrize(("change", "where"), [
    (("measure: quantity", "measure: tonnes"), "targets[3].measure"),
    (("    default: 10\n", "    default: -1\n"), "targets[3].default"),
    (("recognitions: [green_factory_municipal,", "recognitions: [nowhere,"), "targets[4].recognitions"),
    (("not_projects: [complete_cmmm]", "not_projects: complete_cmmm"), "not_projects"),
])
def test_a_broken_catalogue_names_its_path(tmp_path, change, where):
    broken = tmp_path / "pipeline.yaml"
    old, new = change
    source = PATH.read_text(encoding="utf-8")
    assert old in source
    broken.write_text(source.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogueError, match=re.escape(f"pipeline.yaml: {where}: ")):
        load(broken)
