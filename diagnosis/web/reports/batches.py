"""The batch page's work: choices scoped to the official, starting a batch, ownership, status."""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import abort, current_app
from flask_babel import gettext as _
from wtforms import SelectChoice

from diagnosis.jobs import enqueue_batch, queue_for, start_consumer
from diagnosis.store.accounts import User
from diagnosis.store.db import session
from diagnosis.store.peers import latest_results
from diagnosis.web.i18n import current_language
from diagnosis.web.reports.forms import BatchForm
from reports import batch
from reports.selection import BatchFilter, select_batch

_BATCH_ID = re.compile(r"^[0-9a-f]{24}$")
OWNER_FILE = "owner.json"


def scope_parks(user: User) -> list[str] | None:
    """The parks an official covers (None: the whole district, or an admin)."""
    return list(user.regions) if user.role == "official" and user.regions else None


def fill_choices(form: BatchForm, user: User) -> None:
    from diagnosis.core.bundle import load_bundle

    parks = scope_parks(user)
    visible = latest_results(session(), parks=parks)
    form.company_ids.choices = [SelectChoice(row.company_id, row.company_name) for row in visible]
    labels = load_bundle().industries.tag_labels
    lang = current_language()
    form.industry_tag.choices = [SelectChoice("", _("全部行业"))] + [
        SelectChoice(tag, text.get(lang) or tag) for tag, text in sorted(labels.items())]
    park_names = parks if parks is not None else list(current_app.config["PARKS"])
    form.park.choices = [SelectChoice("", _("全部园区"))] + [SelectChoice(park, park) for park in park_names]
    form.level.choices = [SelectChoice("", _("全部等级"))] + [
        SelectChoice(str(level), _("%(n)s 级", n=level)) for level in range(5)]


def selected_items(form: BatchForm, user: User) -> list[batch.BatchItem]:
    """The batch, always inside the user's scope: picked ids outside it are simply not found."""
    parks = scope_parks(user)
    if form.mode.data == "companies":
        chosen = BatchFilter(parks=parks, company_ids=form.company_ids.data)
    else:
        park_filter = [form.park.data] if form.park.data else parks
        if parks is not None and form.park.data and form.park.data not in parks:
            park_filter = []
        chosen = BatchFilter(industry_tag=form.industry_tag.data or None, parks=park_filter,
                             level=int(form.level.data) if form.level.data else None)
    return select_batch(session(), chosen)


def start(items: list[batch.BatchItem], lang: str, user: User) -> str:
    """Write the batch, queue its renders, and make sure a consumer runs when the queue is SQLite."""
    storage = current_app.config["DIAGNOSIS_STORAGE"]
    directory = batch.create_batch(batch.new_batch_dir(storage), items, lang)
    (directory / OWNER_FILE).write_text(json.dumps({"user_id": user.id}), encoding="utf-8")
    queue = queue_for(current_app)
    if not current_app.config.get("REDIS_URL") and "report_consumer" not in current_app.extensions:
        current_app.extensions["report_consumer"] = start_consumer(queue, workers=1)
    enqueue_batch(queue, directory, current_app.config["DATABASE_URL"], storage)
    return directory.name


def owned_or_404(batch_id: str, user: User) -> Path:
    """The batch directory if ``user`` started it (admins see all); 404 otherwise."""
    if not _BATCH_ID.match(batch_id):
        abort(404)
    directory = batch.batches_root(current_app.config["DIAGNOSIS_STORAGE"]) / batch_id
    owner_file = directory / OWNER_FILE
    if not owner_file.exists():
        abort(404)
    owner = json.loads(owner_file.read_text(encoding="utf-8")).get("user_id")
    if owner != user.id and user.role != "admin":
        abort(404)
    return directory


def status(directory: Path) -> dict:
    state = batch.progress(directory)
    return {"progress": state, "failures": batch.failures(directory) if state.finished else []}


def zip_of(directory: Path) -> Path:
    return batch.build_zip(directory)
