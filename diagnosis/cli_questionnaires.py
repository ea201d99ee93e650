"""Questionnaire commands: `flask questionnaires check [PATH]` and `flask diagnose ANSWERS.json [--lang]`.

Both read the tree of the QUESTIONNAIRES_DIR setting unless given another one. `diagnose` refuses
(exit 1, one `file: question: reason` line each on stderr) invalid answers and answers that break a
constraint; required questions left unanswered are warnings on stderr, the result is still printed."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from diagnosis.core.answers import AnswerProblem
from diagnosis.core.bundle import Bundle, check_bundle, load_bundle
from diagnosis.core.constraints import ConstraintBreak
from diagnosis.core.engine import check_answers, diagnose, localize
from diagnosis.core.problems import QuestionnaireError
from diagnosis.web.bundle import current_bundle

LANGUAGES = ("zh_CN", "en")

questionnaires_cli = AppGroup("questionnaires", help="Questionnaire, model and catalogue files.")


@questionnaires_cli.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
def check_command(path: Path | None) -> None:
    """Validate the questionnaire tree at PATH (default: the QUESTIONNAIRES_DIR setting)."""
    root = path or Path(current_app.config["QUESTIONNAIRES_DIR"])
    problems = check_bundle(root)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) in {root}", err=True)
        sys.exit(1)
    bundle = load_bundle(root)
    instruments = ", ".join(f"{i.id} {i.version} ({sum(1 for _ in i.questions())} questions)"
                            for i in bundle.instruments.values())
    click.echo(f"OK: {instruments}; models sme2024, cmmm, radar; "
               f"{len(bundle.catalogues.editions) + 1} catalogues; {len(bundle.industries.all())} industries")


def _detail(detail: Mapping[str, Any]) -> str:
    return f" ({', '.join(f'{key}={value}' for key, value in detail.items())})" if detail else ""


def _answer_problem_line(file: str, problem: AnswerProblem) -> str:
    return f"{file}: {problem.question}: {problem.code}{_detail(problem.detail)}"


def _break_line(file: str, item: ConstraintBreak, lang: str) -> str:
    values = ", ".join(f"{key}={value}" for key, value in item.values.items())
    return f"{file}: {item.questions[0]}: constraint {item.id} ({values}): {item.constraint.message[lang]}"


def _read_answer_file(path: Path, bundle: Bundle) -> tuple[dict, list[str]]:
    """The parsed answer file and its structural problems (as printable lines)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return {}, [f"{path}: : invalid JSON: {error}"]
    if not isinstance(data, dict):
        return {}, [f"{path}: : an answer file is a JSON object"]
    problems = [f"{path}: {key}: must be a JSON object" for key in ("questionnaire", "profile", "answers")
                if not isinstance(data.get(key, {}), dict)]
    questionnaire = data.get("questionnaire")
    if not isinstance(questionnaire, dict):
        questionnaire = {}
    instrument_id = questionnaire.get("id", bundle.active_instrument().id)
    if instrument_id not in bundle.instruments:
        problems.append(f"{path}: questionnaire.id: unknown questionnaire {instrument_id!r}")
    elif questionnaire.get("version", bundle.instruments[instrument_id].version) != \
            bundle.instruments[instrument_id].version:
        problems.append(f"{path}: questionnaire.version: answers are for {questionnaire.get('version')!r}, "
                        f"the loaded questionnaire is {bundle.instruments[instrument_id].version!r}")
    return data, problems


@click.command("diagnose")
@with_appcontext
@click.argument("answers_file", metavar="ANSWERS.json",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh_CN", show_default=True)
@click.option("--questionnaires", "root", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Questionnaire tree (default: the QUESTIONNAIRES_DIR setting).")
def diagnose_command(answers_file: Path, lang: str, root: Path | None) -> None:
    """Print the engine's result for ANSWERS.json as JSON (levels, scores, recommendations, reasons)."""
    try:
        bundle = load_bundle(root) if root else current_bundle()
    except QuestionnaireError as error:
        for line in map(str, error.problems):
            click.echo(line, err=True)
        sys.exit(1)
    data, problems = _read_answer_file(answers_file, bundle)
    if problems:
        click.echo("\n".join(problems), err=True)
        sys.exit(1)
    answers, profile = data.get("answers", {}), data.get("profile", {})
    instrument_id = data.get("questionnaire", {}).get("id")
    report = check_answers(bundle, answers, profile, instrument_id)
    file = str(answers_file)
    for problem in report.problems:
        click.echo(_answer_problem_line(file, problem), err=True)
    for item in report.broken:
        click.echo(_break_line(file, item, lang), err=True)
    if report.problems or report.broken:
        sys.exit(1)
    for qid in report.missing:
        click.echo(f"{file}: {qid}: warning: required question not answered", err=True)
    result = diagnose(bundle, answers, profile, instrument_id)
    click.echo(json.dumps(localize(result, bundle, lang), ensure_ascii=False, indent=2))


QUESTIONNAIRE_COMMANDS = [questionnaires_cli, diagnose_command]
