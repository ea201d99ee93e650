"""The roster import page: the district's list of companies, checked row by row.

An official or admin uploads a file and either checks it (仅检查) or imports it (导入). The file is kept
under DIAGNOSIS_STORAGE/roster by its content hash between the check and the import, so the result
page's buttons ("导入", "仅导入有效行") post the hash back instead of the file; the session holds
nothing. An official imports only companies of the parks it covers: a row for another park is a row
error. Nothing is imported while any row is bad, unless the official chooses to import the valid rows.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from diagnosis.pipeline.roster import (
    Limits,
    RosterFileError,
    RosterPlan,
    RosterScope,
    apply_plan,
    check_roster,
    summary,
)
from diagnosis.pipeline.roster_template import roster_template
from diagnosis.store.accounts import utcnow
from diagnosis.store.db import get_session, session
from diagnosis.web.access import role_required
from diagnosis.web.assign.service import scope_parks
from diagnosis.web.company.industries import industry_table
from diagnosis.web.roster.forms import RosterForm

bp = Blueprint("roster", __name__, url_prefix="/roster")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: An import that lost the race for a credit code (the page's and the API's message).
RACE_MESSAGE = _l("导入时另一次导入或注册刚用了其中的统一社会信用代码，未导入任何企业，请重新导入。")


def storage_dir() -> Path:
    return Path(current_app.config["DIAGNOSIS_STORAGE"]) / "roster"


def _store(data: bytes) -> str:
    """Keep the uploaded bytes under their SHA-256 (once per content) and return the hash."""
    digest = hashlib.sha256(data).hexdigest()
    path = storage_dir() / digest
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(path)
    return digest


def _file_of(form: RosterForm, limits: Limits) -> bytes | None:
    """The posted file (stored, and its hash put in the form) or the stored one the form names; None,
    with the form's error set, when there is neither."""
    upload = form.file.data
    if isinstance(upload, FileStorage) and upload.filename:
        data = upload.stream.read(limits.max_bytes + 1)
        form.file_id.data = _store(data)
        form.file_name.data = (upload.filename or "")[:255]
        return data
    if form.file_id.data:
        path = storage_dir() / form.file_id.data
        if path.is_file():
            return path.read_bytes()
        form.file.errors = [_("检查过的文件已不在服务器上，请重新上传。")]
        return None
    form.file.errors = [_("请选择要导入的文件。")]
    return None


def roster_scope() -> RosterScope:
    """What the current user's rows may name (the API's roster import uses it too)."""
    return RosterScope(current_app.config["PARKS"], scope_parks(current_user), industry_table())


def imports(plan: RosterPlan, mode: str) -> bool:
    """Whether a request in ``mode`` (RosterForm.mode) imports: never a check; a file with bad rows
    only when the valid rows are chosen."""
    return mode != "check" and (not plan.problems or mode == "valid_rows")


def apply_checked(plan: RosterPlan) -> bool:
    """Write the plan in a savepoint; False, with nothing written, when another import or a
    registration took one of its credit codes since the check."""
    try:
        with session.begin_nested():
            apply_plan(get_session(), plan, utcnow())
    except IntegrityError:
        return False
    return True


@bp.route("/", methods=["GET", "POST"])
@role_required("official", "admin")
def upload() -> str | Response:
    form = RosterForm()
    if not form.validate_on_submit():
        return _page(form)
    limits = Limits()
    data = _file_of(form, limits)
    if data is None:
        return _page(form)
    try:
        plan = check_roster(get_session(), data, roster_scope(), limits)
    except RosterFileError as error:
        form.file.errors = [str(error)]
        return _page(form)
    mode = form.mode()
    if not imports(plan, mode):
        return _page(form, plan, mode)
    return _import(form, plan)


def _import(form: RosterForm, plan: RosterPlan) -> str | Response:
    if not apply_checked(plan):
        form.form_errors.append(str(RACE_MESSAGE))
        return _page(form, plan, "import")
    (storage_dir() / (form.file_id.data or "")).unlink(missing_ok=True)
    counts = summary(plan)
    flash(_("已导入：新增 %(new)s 家，更新 %(updated)s 家；%(bad)s 行有问题，未导入。", **counts)
          if plan.problems else _("已导入：新增 %(new)s 家，更新 %(updated)s 家。", **counts), "success")
    return redirect(url_for("roster.upload"))


def _page(form: RosterForm, plan: RosterPlan | None = None, mode: str = "") -> str:
    return render_template("roster/upload.html", form=form, plan=plan, mode=mode,
                           counts=summary(plan) if plan else None, parks=scope_parks(current_user))


@bp.get("/template.xlsx")
@role_required("official", "admin")
def template() -> Response:
    """The roster template with drop-down lists (an official's list shows only its own parks)."""
    parks = scope_parks(current_user) or list(current_app.config["PARKS"])
    data = roster_template(parks, industry_table())
    response = current_app.response_class(data, mimetype=XLSX_TYPE)
    response.headers.set("Content-Disposition", "attachment", filename="企业名录模板.xlsx")
    return response
