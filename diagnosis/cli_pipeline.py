"""`flask --app app pipeline ...`: the monthly 调度表 (XLSX) and 月度通报 (PDF) of the whole district.

Run by the district office: no park scope. The month defaults to this month; a past or future year
without ``--month`` takes that year's December (its closing figures).
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import click
from flask.cli import AppGroup

from diagnosis.pipeline.export import export_workbook
from diagnosis.pipeline.figures import Filters
from diagnosis.pipeline.ledger import TIMEZONE
from diagnosis.pipeline.monthly import default_month
from diagnosis.store.db import get_session
from diagnosis.web.bundle import current_bundle
from reports.briefing import make_briefing
from reports.render import LANGUAGES

pipeline_cli = AppGroup("pipeline", help="The officials' pipeline: the monthly 调度表 and 月度通报.")


def chosen_month(year: int | None, month: str | None) -> tuple[int, int]:
    """(year, month) from the options; :raise click.BadParameter: naming the option at fault."""
    today = datetime.now(TIMEZONE).date()
    if month is None:
        chosen_year = year or today.year
        return chosen_year, default_month(chosen_year, today)
    try:
        parsed = datetime.strptime(month, "%Y-%m")
    except ValueError as error:
        raise click.BadParameter(f"{month!r} is not a month YYYY-MM", param_hint="'--month'") from error
    if year is not None and parsed.year != year:
        raise click.BadParameter(f"{month} is not within --year {year}", param_hint="'--month'")
    return parsed.year, parsed.month


def _month_options(command):
    command = click.option("--month", help="the month YYYY-MM (default: this month)")(command)
    command = click.option("--year", type=click.IntRange(2000, 2100), help="the year (default: this year)")(
        command)
    return click.option("--lang", type=click.Choice(LANGUAGES), default="zh_CN", show_default=True)(command)


@pipeline_cli.command("export")
@_month_options
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="XLSX file to write")
def export_command(year: int | None, month: str | None, lang: str, output: Path) -> None:
    """Write the month's 调度表: summary per target and the company ledger."""
    chosen_year, chosen = chosen_month(year, month)
    started = time.perf_counter()
    exported = export_workbook(get_session(), Filters(year=chosen_year, month=chosen), output, lang,
                               current_bundle().industries)
    click.echo(f"{output}: {chosen_year}-{chosen:02d}, {exported.companies} companies, "
               f"{exported.rows} ledger rows, {time.perf_counter() - started:.1f} s")


@pipeline_cli.command("briefing")
@_month_options
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="PDF file to write")
def briefing_command(year: int | None, month: str | None, lang: str, output: Path) -> None:
    """Write the month's 月度通报 (PDF)."""
    chosen_year, chosen = chosen_month(year, month)
    pdf = make_briefing(get_session(), Filters(year=chosen_year, month=chosen), lang)
    output.write_bytes(pdf)
    click.echo(f"{output}: {chosen_year}-{chosen:02d}, {len(pdf) // 1024} KiB")
