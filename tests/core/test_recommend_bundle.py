"""advise() inside the real engine: every recommendation the examples produce can be put into words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diagnosis.core.bundle import load_bundle
from diagnosis.core.engine import diagnose

EXAMPLES = sorted(p for p in (Path(__file__).resolve().parents[2] / "examples").glob("*.json")
                  if p.stem != "invalid")
LEAF_KEYS = {"source", "ref", "op", "threshold", "value", "held"}


def both_languages(bundle, key: str) -> bool:
    text = bundle.text(key)
    return text is not None and bool(text["zh_CN"]) and bool(text["en"])


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_recommendation_and_criterion_has_texts(example: Path):
    bundle = load_bundle()
    data = json.loads(example.read_text(encoding="utf-8"))
    result = diagnose(bundle, data["answers"], data["profile"])
    recommendations = result["recommendations"]
    assert recommendations
    assert [(-r["priority"], r["id"]) for r in recommendations] == sorted(
        (-r["priority"], r["id"]) for r in recommendations)
    for rec in recommendations:
        for suffix in ("", ".why", ".how"):
            assert both_languages(bundle, f"{rec['id']}{suffix}"), rec["id"]
        assert all(set(leaf) == LEAF_KEYS for leaf in rec["because"]), rec["id"]
        assert all(both_languages(bundle, key) for key in rec["params"].get("unmet_prerequisites", ()))
    for rung in result["smart_factory"]:
        assert both_languages(bundle, f"sf.{rung['id']}")
        assert all(both_languages(bundle, f"sf.{rung['id']}.{c['id']}") for c in rung["criteria"])
    cloud = result["cloud"]
    assert both_languages(bundle, f"cloud.l{cloud['current_step']}")
    assert cloud["next_step"] is None or cloud["next_step"] == cloud["current_step"] + 1
    assert result == diagnose(bundle, data["answers"], data["profile"])
