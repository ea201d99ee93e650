"""The downloads' work: the filters an official asked for (always inside their parks), starting an
export job on the queue, the job an official may see, and the briefing PDF."""

from __future__ import annotations

import shutil
from datetime import datetime

from flask import abort, current_app
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from diagnosis.pipeline import jobs
from diagnosis.pipeline.figures import Filters
from diagnosis.pipeline.ledger import TIMEZONE
from diagnosis.pipeline.monthly import default_month
from diagnosis.store.accounts import ProviderOrg, User
from diagnosis.store.db import get_session
from diagnosis.web.bundle import current_bundle
from diagnosis.web.exports.forms import ExportForm, month_of
from diagnosis.web.i18n import current_language
from reports.briefing import make_briefing
from reports.queue import STORE_ERRORS, QueueUnavailable, queue_for
from reports.selection import industry_codes


def scope_parks(user: User) -> tuple[str, ...] | None:
    """The parks an official covers; None: the whole district (no regions, or an admin)."""
    return tuple(user.regions) if user.role == "official" and user.regions else None


def fill_choices(form: ExportForm, user: User) -> None:
    """The user's parks, the industry tags and the provider organisations by name (as on the
    dashboard's filter)."""
    everything = SelectChoice("", _("全部"))
    parks = scope_parks(user) or tuple(current_app.config["PARKS"])
    form.park.choices = [everything, *(SelectChoice(park, park) for park in parks)]
    tags = current_bundle().industries.tag_labels
    form.tag.choices = [everything, *(SelectChoice(tag, tag_label(tag)) for tag in tags)]
    orgs = get_session().execute(select(ProviderOrg.id, ProviderOrg.name).order_by(ProviderOrg.name)).all()
    form.provider.choices = [everything, *(SelectChoice(str(org_id), name) for org_id, name in orgs)]


def tag_label(tag: str) -> str:
    words = current_bundle().industries.tag_labels.get(tag) or {}
    return words.get(current_language()) or words.get("zh_CN") or tag


def chosen_words(chosen: dict[str, str]) -> list[str]:
    """A job's narrower choices as its page names them: the park, the industry tag's and the provider's
    names."""
    words = [chosen["park"]] if chosen.get("park") else []
    if chosen.get("tag"):
        words.append(tag_label(chosen["tag"]))
    if chosen.get("provider"):
        org = get_session().get(ProviderOrg, int(chosen["provider"]))
        words.append(org.name if org is not None else chosen["provider"])
    return words


def chosen_filters(form: ExportForm, user: User) -> Filters:
    """The validated form's choice, narrowed to ``user``'s parks (a park outside them: nothing)."""
    today = datetime.now(TIMEZONE).date()
    parsed = month_of(form.month.data or "")
    year = form.year.data or (parsed[0] if parsed else today.year)
    tag = form.tag.data
    return Filters(year=year, parks=scope_parks(user), park=form.park.data or None,
                   industry_codes=tuple(industry_codes(current_bundle(), tag)) if tag else None,
                   provider_org_id=int(form.provider.data) if form.provider.data else None,
                   month=parsed[1] if parsed else default_month(year, today))


def chosen_args(form: ExportForm) -> dict[str, str]:
    """The official's choice as the query string had it (kept on the job, shown on its page)."""
    values = {"year": str(form.year.data or ""), "month": form.month.data or "", "park": form.park.data or "",
              "tag": form.tag.data or "", "provider": form.provider.data or ""}
    return {key: value for key, value in values.items() if value}


def storage() -> str:
    return str(current_app.config["DIAGNOSIS_STORAGE"])


def start(filters: Filters, chosen: dict[str, str], user: User) -> str:
    """Record the job and queue it; its token.

    :raise QueueUnavailable: the queue refused the task; the job is gone.
    """
    job = jobs.new_job(storage(), user.id, current_language(), filters, chosen)
    try:
        queue_for(current_app, current_bundle()).export(job.token)
    except STORE_ERRORS as error:
        shutil.rmtree(jobs.job_directory(storage(), job.token), ignore_errors=True)
        raise QueueUnavailable(f"{type(error).__name__}: {error}") from error
    return job.token


def owned_or_404(token: str, user: User) -> jobs.ExportJob:
    """The job if ``user`` asked for it (admins see all); 404 otherwise."""
    job = jobs.load(storage(), token)
    if job is None or (job.requested_by != user.id and user.role != "admin"):
        abort(404)
    return job


def briefing_pdf(filters: Filters) -> bytes:
    return make_briefing(get_session(), filters, current_language())
