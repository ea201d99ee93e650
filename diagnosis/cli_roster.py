"""`flask --app app roster import FILE`: the district's company roster from an .xlsx or .csv file."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError

from diagnosis.pipeline.roster import (
    Limits,
    RosterFileError,
    RosterPlan,
    RosterScope,
    apply_plan,
    check_roster,
)
from diagnosis.store.accounts import utcnow
from diagnosis.store.db import begin_write, get_session
from diagnosis.web.bundle import current_bundle

roster_cli = AppGroup("roster", help="The district's company roster (企业名录).")


def outcome(plan: RosterPlan) -> str:
    return (f"{plan.rows} 行：新增 {len(plan.new)}，更新 {len(plan.updated)}，无变化 {len(plan.unchanged)}，"
            f"已注册（名录不修改）{len(plan.registered)}，有问题 {len(plan.bad_rows)}")


def read_file(path: Path, limits: Limits) -> bytes:
    """At most one byte more than the limit, so a huge file is refused without reading it whole."""
    with path.open("rb") as file:
        return file.read(limits.max_bytes + 1)


@roster_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="check every row and say what would happen; import nothing")
@click.option("--valid-rows", is_flag=True, help="import the good rows even when some rows are bad")
def import_command(path: Path, dry_run: bool, valid_rows: bool) -> None:
    """Import the companies of PATH (.xlsx, .xls or .csv; columns 企业名称, 统一社会信用代码, 行业代码, 园区,
    规上, 联系人, 联系电话). Every bad row is printed as `FILE: 第N行 列名: reason`; nothing is imported
    while any row is bad unless --valid-rows. Exit status 1 when the file or any row is bad."""
    session = get_session()
    begin_write(session)
    limits = Limits()
    scope = RosterScope(current_app.config["PARKS"], None, current_bundle().industries)
    try:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # no request: no user's language
            plan = check_roster(session, read_file(path, limits), scope, limits)
    except RosterFileError as error:
        click.echo(f"{path}: {error}", err=True)
        sys.exit(1)
    for problem in plan.problems:
        click.echo(problem.line(str(path)), err=True)
    click.echo(f"{path}: {outcome(plan)}")
    if dry_run:
        click.echo("仅检查，未导入任何企业。")
    elif plan.problems and not valid_rows:
        click.echo("有问题的行未改正前不导入任何企业（或加 --valid-rows 只导入没有问题的行）。", err=True)
    else:
        _import(plan)
    sys.exit(1 if plan.problems else 0)


def _import(plan: RosterPlan) -> None:
    session = get_session()
    try:
        apply_plan(session, plan, utcnow())
        session.commit()
    except IntegrityError as error:
        session.rollback()
        click.echo("导入时另一次导入或注册刚用了其中的统一社会信用代码，未导入任何企业，请重新运行。",
                   err=True)
        raise SystemExit(1) from error
    click.echo(f"已导入：新增 {len(plan.new)} 家，更新 {len(plan.updated)} 家。")
