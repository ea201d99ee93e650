"""The batch page's work: choices scoped to the official, starting a batch, ownership, status.

Starting a batch writes its rows, commits them (the workers read them through their own
connections) and enqueues one render per item; a batch the queue refuses is discarded, so none
is left pending. No worker runs in the web process.
"""

from __future__ import annotations

import re
import shutil

from flask import abort, current_app
from flask_babel import gettext as _
from wtforms import SelectChoice

from diagnosis.store.accounts import User
from diagnosis.store.batches import ReportBatch, batch_by_token, progress
from diagnosis.store.db import get_session, session
from diagnosis.store.peers import latest_results
from diagnosis.web.bundle import current_bundle
from diagnosis.web.i18n import current_language
from diagnosis.web.reports.forms import BatchForm
from reports import batch as report_batches
from reports.batch import batch_directory, failures, new_token, start_batch
from reports.queue import QueueUnavailable, queue_for
from reports.selection import BatchFilter, BatchItem, select_batch

_TOKEN = re.compile(r"^[0-9a-f]{24}$")


def scope_parks(user: User) -> list[str] | None:
    """The parks an official covers (None: the whole district, or an admin)."""
    return list(user.regions) if user.role == "official" and user.regions else None


def fill_choices(form: BatchForm, user: User) -> None:
    parks = scope_parks(user)
    visible = latest_results(get_session(), parks=parks)
    form.company_ids.choices = [SelectChoice(row.company_id, row.company_name) for row in visible]
    labels = current_bundle().industries.tag_labels
    lang = current_language()
    form.industry_tag.choices = [SelectChoice("", _("全部行业"))] + [
        SelectChoice(tag, text.get(lang) or tag) for tag, text in sorted(labels.items())]
    park_names = parks if parks is not None else list(current_app.config["PARKS"])
    form.park.choices = [SelectChoice("", _("全部园区"))] + [SelectChoice(park, park) for park in park_names]
    form.level.choices = [SelectChoice("", _("全部等级"))] + [
        SelectChoice(str(level), _("%(n)s 级", n=level)) for level in range(5)]


def chosen_filter(form: BatchForm, user: User) -> BatchFilter:
    """The selection, always inside the user's scope: picked ids outside it are simply not found."""
    parks = scope_parks(user)
    if form.mode.data == "companies":
        return BatchFilter(parks=parks, company_ids=form.company_ids.data)
    park_filter = [form.park.data] if form.park.data else parks
    if parks is not None and form.park.data and form.park.data not in parks:
        park_filter = []
    return BatchFilter(industry_tag=form.industry_tag.data or None, parks=park_filter,
                       level=int(form.level.data) if form.level.data else None)


def selected_items(chosen: BatchFilter) -> list[BatchItem]:
    return select_batch(get_session(), chosen, current_bundle())


def start(items: list[BatchItem], chosen: BatchFilter, lang: str, user: User) -> str:
    """Record the batch, commit it, queue its renders; returns the batch's token.

    :raise QueueUnavailable: the queue refused a task; the batch is gone.
    """
    token = new_token()
    directory = batch_directory(current_app.config["DIAGNOSIS_STORAGE"], token)
    batch = start_batch(get_session(), items, lang, directory, chosen, user.id, token)
    batch_id, item_ids = batch.id, [item.id for item in batch.items]
    session.commit()  # before the tasks exist: a worker may pick one up at once
    try:
        report_batches.mark_queued(get_session(), queue_for(current_app, current_bundle()).enqueue(item_ids))
    except QueueUnavailable:
        report_batches.discard(get_session(), batch_id)
        shutil.rmtree(directory, ignore_errors=True)  # made for this batch just now
        raise
    return token


def retry(batch: ReportBatch) -> int:
    """Queue the batch's failed, cancelled and stuck items again; how many went in.

    :raise QueueUnavailable: the queue refused a task; the items it did not take stay retryable.
    """
    batch_id, item_ids = batch.id, report_batches.retryable(get_session(), batch.id)
    if not item_ids:
        return 0
    report_batches.requeue(get_session(), batch_id, item_ids)
    try:
        queued = queue_for(current_app, current_bundle()).enqueue(item_ids)
    except QueueUnavailable as error:
        report_batches.mark_queued(get_session(), error.queued)
        raise
    report_batches.mark_queued(get_session(), queued)
    return len(queued)


def cancel(batch: ReportBatch) -> int:
    return report_batches.cancel(get_session(), batch.id)


def owned_or_404(token: str, user: User) -> ReportBatch:
    """The batch if ``user`` started it (admins see all); 404 otherwise."""
    batch = batch_by_token(get_session(), token) if _TOKEN.match(token) else None
    if batch is None or (batch.requested_by_id != user.id and user.role != "admin"):
        abort(404)
    return batch


def status(batch: ReportBatch) -> dict:
    state = progress(get_session(), batch.id)
    return {"progress": state, "ready": batch.status == "finished",
            "failures": failures(get_session(), batch.id) if state.finished else [],
            "retryable": len(report_batches.retryable(get_session(), batch.id))}
