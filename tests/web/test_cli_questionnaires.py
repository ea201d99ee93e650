"""The questionnaire commands, run through the app's CLI runner."""

import json
import shutil
from pathlib import Path

import pytest

from diagnosis.core.bundle import DEFAULT_ROOT
from tests.core.builders import edit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_check_passes_on_the_project_tree(runner):
    result = runner.invoke(args=["questionnaires", "check"])
    assert result.exit_code == 0
    assert result.stdout.startswith("OK: district-diagnosis 2026.1")


def test_check_lists_every_problem_and_fails(runner, tmp_path):
    root = tmp_path / "questionnaires"
    shutil.copytree(DEFAULT_ROOT, root)
    edit(root / "models" / "sme2024.yaml", lambda d: d.update(schema=2))
    edit(root / "models" / "radar.yaml", lambda d: d["title"].pop("en"))
    result = runner.invoke(args=["questionnaires", "check", str(root)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "questionnaires/models/sme2024.yaml: schema: unsupported schema version 2 (expected 1)",
        "questionnaires/models/radar.yaml: title.en: missing translation",
    ]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_diagnose_prints_localized_json(runner, lang):
    result = runner.invoke(args=["diagnose", str(EXAMPLES / "furniture_2110.json"), "--lang", lang])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["profile"]["industry_code"] == "2110"
    assert data["sme"]["dimensions"][0]["label"] == {"zh_CN": "数字化基础", "en": "Digital foundation"}[lang]
    assert ("数字化基础" in result.stdout) == (lang == "zh_CN")  # ensure_ascii=False


def test_diagnose_reports_every_bad_answer_on_stderr(runner):
    path = EXAMPLES / "invalid.json"
    result = runner.invoke(args=["diagnose", str(path)])
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 10
    assert f"{path}: equip_totl: unknown_question" in lines
    assert f"{path}: fur_board_utilisation: out_of_range (min=0, max=100, value=130)" in lines


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "invalid JSON"),
        (
            '{"questionnaire": {"id": "other"}, "answers": {}}',
            "questionnaire.id: unknown questionnaire 'other'",
        ),
        (
            '{"questionnaire": {"id": "district-diagnosis", "version": "1999.1"}, "answers": {}}',
            "questionnaire.version: answers are for '1999.1'",
        ),
        ('{"answers": []}', "answers: must be a JSON object"),
    ],
)
def test_diagnose_refuses_malformed_files(runner, tmp_path, content, message):
    path = tmp_path / "answers.json"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(args=["diagnose", str(path)])
    assert result.exit_code == 1
    assert message in result.stderr and str(path) in result.stderr
