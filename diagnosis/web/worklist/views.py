"""The provider's work list: the companies assigned to its organisation, with their review state.

Every provider of the organisation sees all of its companies (as the access rule lets them open
each company's page); a diagnostician who is not the lead starts on the companies assigned to them
("分配给我的") and may switch to the whole organisation, where the others' companies link to the
company page only (reviewing is for the assigned diagnostician and the lead, `can_review`). Only
the lead gets the form that sets the diagnostician and the visit date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from diagnosis.store.db import get_session
from diagnosis.store.worklist import WorkRow, WorkScope, state_counts, work_rows
from diagnosis.web.access import can_review, role_required
from diagnosis.web.assign.service import diagnosticians
from diagnosis.web.worklist.forms import WorkFilterForm
from diagnosis.web.worklist.labels import STATE_LABELS

bp = Blueprint("worklist", __name__, url_prefix="/work")

PAGE_SIZE = 50
DONE = ("signed_off", "confirmed", "disputed")
NOT_STARTED = ("self_assessed", "visit_planned")


@dataclass(frozen=True)
class Entry:
    row: WorkRow
    url: str
    action: str


def entry(row: WorkRow) -> Entry:
    """The row's link: the review for those who review it once there is something to review,
    else the company page."""
    if row.assessment_id is not None and can_review(current_user, row.assignment):
        action = (_("查看核验") if row.state in DONE else _("开始核验") if row.state in NOT_STARTED
                  else _("继续核验"))
        return Entry(row, url_for("review.open", assessment_id=row.assessment_id), action)
    return Entry(row, url_for("company.profile", company_id=row.company.id), _("查看企业"))


def filter_form() -> WorkFilterForm:
    form = WorkFilterForm(formdata=request.args)
    form.state.choices = [SelectChoice("", _("全部状态")), *(
        SelectChoice(key, label) for key, label in STATE_LABELS.items())]
    form.park.choices = [SelectChoice("", _("全部园区")), *(
        SelectChoice(park, park) for park in current_app.config["PARKS"])]
    if not form.who.data:
        form.who.data = "all" if current_user.is_lead else "mine"
    return form


def page_url(number: int) -> str:
    return list_url(page=number)


def state_url(state: str) -> str:
    """The list with the same search and filters, of one state ("" for all), from its first page."""
    return list_url(state=state, page=1)


def list_url(**changes: Any) -> str:
    """The list with the request's search and filters, and ``changes``."""
    values: dict[str, Any] = {**request.args.to_dict(), **changes}
    return url_for("worklist.index", **values)


@bp.get("/")
@role_required("provider")
def index() -> str | tuple[str, int]:
    form = filter_form()
    org_id = current_user.provider_org_id
    if org_id is None or not form.validate():
        return render_template("worklist/index.html", form=form, entries=None, org_id=org_id), (
            200 if org_id is None else 400)
    scope = WorkScope(org_id=org_id, park=form.park.data or None, search=form.q.data or None,
                      diagnostician_id=current_user.id if form.who.data == "mine" else None)
    counts = state_counts(get_session(), scope)
    state = form.state.data or None
    total = counts[state] if state else sum(counts.values())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(form.page.data or 1, 1), pages)
    rows = work_rows(get_session(), scope, state=state, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    org_total = sum(counts.values()) if scope == WorkScope(org_id=org_id) else None
    if not rows and org_total is None:
        org_total = sum(state_counts(get_session(), WorkScope(org_id=org_id)).values())
    staff = diagnosticians(get_session(), org_id) if current_user.is_lead else []
    return render_template(
        "worklist/index.html", form=form, org_id=org_id, entries=[entry(row) for row in rows], counts=counts,
        total=total, page=page, pages=pages, page_url=page_url, state_url=state_url, org_total=org_total,
        state_labels=STATE_LABELS, staff=staff,
    )
