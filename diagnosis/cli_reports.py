"""`flask --app app report ...`: render one report, render a batch, run queue workers."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from tqdm import tqdm

from diagnosis.store.db import get_session
from reports.render import LANGUAGES

report_cli = AppGroup("report", help="Diagnosis reports (PDF): one report, batches, queue workers.")


@report_cli.command("render")
@click.argument("assessment_id", type=int)
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="PDF file to write")
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh_CN", show_default=True)
@click.option("--tagged", is_flag=True, help="write a tagged PDF/UA-1 file (larger, slower)")
def render_command(assessment_id: int, output: Path, lang: str, tagged: bool) -> None:
    """Render the report of ASSESSMENT_ID into a PDF file."""
    from reports.render import RenderOptions
    from reports.service import make_report
    from reports.source import ReportUnavailable

    session = get_session()
    try:
        report = make_report(session, assessment_id, lang, current_app.config.get("DIAGNOSIS_STORAGE"),
                             options=RenderOptions(tagged=tagged))
    except ReportUnavailable as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    output.write_bytes(report.pdf)
    kept = "（已存档）" if report.issued else ""
    click.echo(f"{output}: {report.number} {len(report.pdf) // 1024} KiB{kept}")


@report_cli.command("batch")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="directory for the PDFs (created if needed)")
@click.option("--industry-tag", help="only companies of this district industry tag, e.g. furniture")
@click.option("--park", "parks", multiple=True, help="only companies in this park (repeatable)")
@click.option("--level", type=click.IntRange(0, 4), help="only companies at this SME digital level")
@click.option("--company", "company_ids", type=int, multiple=True, help="only this company id (repeatable)")
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh_CN", show_default=True)
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True,
              help="worker processes of the embedded queue consumer")
def batch_command(out_dir: Path, industry_tag: str | None, parks: tuple[str, ...], level: int | None,
                  company_ids: tuple[int, ...], lang: str, workers: int) -> None:
    """Render the latest submitted report of every matching company, through the job queue."""
    from diagnosis.jobs import enqueue_batch, queue_for, start_consumer
    from reports import batch
    from reports.selection import BatchFilter, select_batch

    chosen = BatchFilter(industry_tag=industry_tag, parks=parks or None, level=level,
                         company_ids=company_ids or None)
    try:
        items = select_batch(get_session(), chosen)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    if not items:
        raise click.ClickException("no company with a submitted assessment matches these filters")
    directory = batch.create_batch(out_dir, items, lang)
    get_session().close()  # no open connection is carried into the forked workers
    queue = queue_for(current_app)
    consumer = start_consumer(queue, workers=workers, worker_type="process")
    try:
        enqueue_batch(queue, directory, current_app.config["DATABASE_URL"],
                      current_app.config.get("DIAGNOSIS_STORAGE"))
        _follow(directory)
    finally:
        consumer.stop(graceful=True)
    _summary(directory)


def _follow(directory: Path) -> None:
    from reports.batch import progress

    state = progress(directory)
    with tqdm(total=state.total, unit="份", desc="报告") as bar:
        while not state.finished:
            time.sleep(0.2)
            state = progress(directory)
            bar.update(state.done - bar.n)


def _summary(directory: Path) -> None:
    from reports.batch import failures, progress, write_error_list

    state = progress(directory)
    write_error_list(directory)
    for failure in failures(directory):
        click.echo(f"失败 {failure['company']}: {failure['reason']}", err=True)
    click.echo(f"{directory}: {state.rendered} 份已生成，{state.failed} 份失败")


@report_cli.command("worker")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True)
def worker_command(workers: int) -> None:
    """Run report workers on the app's queue (use with REDIS_URL) until interrupted."""
    from huey.consumer import Consumer

    from diagnosis.jobs import queue_for

    Consumer(queue_for(current_app).huey, workers=workers, worker_type="process").run()
