"""`flask --app app report ...`: render one report, render a batch, run queue workers."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.orm import Session
from tqdm import tqdm

from diagnosis.store.batches import progress
from diagnosis.store.db import get_session
from diagnosis.web.bundle import current_bundle
from reports.batch import discard, failures, mark_queued, start_batch
from reports.data import ReportUnavailable
from reports.queue import QueueUnavailable, queue_for, run_workers, start_consumer
from reports.render import LANGUAGES, RenderOptions
from reports.report import make_report
from reports.selection import BatchFilter, select_batch

report_cli = AppGroup("report", help="Diagnosis reports (PDF): one report, batches, queue workers.")


@report_cli.command("render")
@click.argument("assessment_id", type=int)
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="PDF file to write")
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh_CN", show_default=True)
@click.option("--tagged", is_flag=True, help="write a tagged PDF/UA-1 file (larger, slower)")
def render_command(assessment_id: int, output: Path, lang: str, tagged: bool) -> None:
    """Render the report of ASSESSMENT_ID into a PDF file."""
    session = get_session()
    try:
        report = make_report(session, assessment_id, lang, current_app.config["DIAGNOSIS_STORAGE"],
                             current_bundle(), RenderOptions(tagged=tagged))
    except ReportUnavailable as error:
        raise click.ClickException(str(error)) from error
    output.write_bytes(report.pdf)
    kept = "（已存档）" if report.stored else ""
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
              help="worker processes of this command's own queue consumer")
def batch_command(out_dir: Path, industry_tag: str | None, parks: tuple[str, ...], level: int | None,
                  company_ids: tuple[int, ...], lang: str, workers: int) -> None:
    """Render the latest submitted report of every matching company, through the job queue."""
    chosen = BatchFilter(industry_tag=industry_tag, parks=parks or None, level=level,
                         company_ids=company_ids or None)
    session = get_session()
    try:
        items = select_batch(session, chosen, current_bundle())
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    if not items:
        raise click.ClickException("no company with a submitted assessment matches these filters")
    batch = start_batch(session, items, lang, out_dir, chosen, requested_by=None)
    batch_id, item_ids = batch.id, [item.id for item in batch.items]
    session.commit()  # the workers read the items through their own connections
    queue = queue_for(current_app, current_bundle())
    try:
        mark_queued(session, queue.enqueue(item_ids))
    except QueueUnavailable as error:
        discard(session, batch_id)
        raise click.ClickException(f"the report queue is unavailable, no batch started ({error})") from error
    session.close()  # no open connection is carried into the forked workers
    consumer = start_consumer(queue, workers=workers, worker_type="process")
    try:
        _follow(session, batch_id)
    finally:
        consumer.stop(graceful=True)
    _summary(session, batch_id, out_dir)


def _follow(session: Session, batch_id: int) -> None:
    state = progress(session, batch_id)
    with tqdm(total=state.total, unit="份", desc="报告") as bar:
        while not state.finished:
            time.sleep(0.2)
            session.rollback()  # a new snapshot: the workers' commits since the last look
            state = progress(session, batch_id)
            bar.update(state.done - bar.n)


def _summary(session: Session, batch_id: int, out_dir: Path) -> None:
    state = progress(session, batch_id)
    for item in failures(session, batch_id):
        click.echo(f"失败 {item.company_name}: {item.error}", err=True)
    click.echo(f"{out_dir}: {state.rendered} 份已生成，{state.failed} 份失败")


@report_cli.command("worker")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True)
def worker_command(workers: int) -> None:
    """Run report workers on the app's queue until interrupted (`make run` starts one)."""
    run_workers(queue_for(current_app, current_bundle()), workers)
