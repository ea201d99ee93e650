"""The officials' pipeline: the dashboard, the list behind every number, yearly targets, the 调度表
and the 月度通报."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from diagnosis.core.pipeline_catalogue import catalogue, text
from diagnosis.pipeline.figures import CMMM_LEVELS, COVERAGE, SME_LEVELS, STAGES, Cell, TargetFigures
from diagnosis.store.db import get_session
from diagnosis.web.access import role_required
from diagnosis.web.company.industries import industry_label, industry_table
from diagnosis.web.i18n import current_language
from diagnosis.web.pipeline import dashboard as board_data
from diagnosis.web.pipeline import targets as target_page
from diagnosis.web.pipeline.forms import FilterForm
from diagnosis.web.pipeline.labels import COVERAGE_LABELS, STAGE_LABELS, STATUS_LABELS, cell_title
from diagnosis.web.pipeline.lists import members_page
from reports import charts
from reports.charts import plain_number

bp = Blueprint("pipeline", __name__, url_prefix="/pipeline")


def _filters() -> tuple[FilterForm, Any]:
    """The filter form read from the query string, and its Filters (None when the form is invalid)."""
    parks = board_data.scope_parks(current_user)
    form = FilterForm(formdata=request.args)
    board_data.fill_choices(form, get_session(), parks, tuple(current_app.config["PARKS"]))
    if not form.validate():
        return form, None
    return form, board_data.chosen_filters(form, parks, date.today())


def _common(form: FilterForm) -> dict[str, Any]:
    return {"form": form, "num": plain_number, "rate_text": board_data.rate_text, "tr": _tr,
            "stage_labels": STAGE_LABELS, "coverage_labels": COVERAGE_LABELS}


def _tr(labels: Any) -> str:
    return text(labels, current_language())


@bp.get("/")
@role_required("official", "admin")
def dashboard() -> str | tuple[str, int]:
    """Targets, coverage and levels for the chosen year, park, industry tag and provider; every number
    links to its list."""
    form, filters = _filters()
    if filters is None:
        return render_template("pipeline/dashboard.html", board=None, **_common(form)), 400
    args = board_data.filter_args(form, filters)
    board = board_data.build_board(get_session(), filters)
    export_args = {"year": filters.year, "month": f"{filters.year:04d}-{filters.month:02d}",
                   "park": form.park.data or "", "tag": form.tag.data or "",
                   "provider": form.provider.data or ""}
    return render_template(
        "pipeline/dashboard.html", board=board, filters=filters, export_args=export_args,
        cell_url=board_data.cell_linker(args), today=date.today(), charts=_charts(board),
        coverage_keys=COVERAGE, stages=STAGES, sme_levels=SME_LEVELS, cmmm_levels=CMMM_LEVELS,
        **_common(form))


def _charts(board: board_data.Board) -> dict[str, Any]:
    drawn: dict[str, Any] = {}
    for figure in board.targets:
        drawn[figure.target.id] = _funnel(figure)
    for model, names, title in (("sme", SME_LEVELS, _("中小企业数字化水平等级分布")),
                                ("cmmm", CMMM_LEVELS, _("智能制造能力成熟度等级分布"))):
        counts = board.levels[model]
        drawn[model] = charts.paired_columns_chart(
            f"levels-{model}", title, [_("%(n)s 级", n=name) for name in names],
            [(_("自评"), [counts["self"][name] for name in names]),
             (_("核验"), [counts["verified"][name] for name in names])], _("等级"))
    return drawn


def _funnel(figure: TargetFigures) -> Any:
    """The target's stages in its unit; the potential (companies recommended it, no project yet)
    apart, in companies."""
    bars = [charts.Bar(_("目标"), figure.goal), *(
        charts.Bar(str(STAGE_LABELS[stage]), figure.stages[stage], stage == "done")
        for stage in STAGES if stage != "potential")]
    aside = charts.Aside(str(STAGE_LABELS["potential"]), figure.stages["potential"], _("家"),
                         _("已获推荐、尚未立项的企业"))
    return charts.funnel_chart(f"funnel-{figure.target.id}", _tr(figure.target.title), bars,
                               _tr(figure.target.unit), aside)


@bp.get("/list")
@role_required("official", "admin")
def members() -> str | tuple[str, int]:
    """The companies or projects behind one number of the dashboard, with that number as their total."""
    cell = Cell.parse(request.args.get("cell", ""))
    if cell is None:
        abort(404)
    form, filters = _filters()
    if filters is None:
        return render_template("pipeline/members.html", page=None, **_common(form)), 400
    page = members_page(get_session(), filters, cell, form.page.data or 1)
    args = board_data.filter_args(form, filters)
    return render_template(
        "pipeline/members.html", page=page, filters=filters, title=cell_title(cell, filters),
        back_url=url_for("pipeline.dashboard", **args), page_url=_page_url(cell, args),
        industry=lambda code: industry_label(industry_table(), code, current_language()),
        kind_title=lambda kind: _tr(catalogue().project_kinds[kind].title)
        if kind in catalogue().project_kinds else kind,
        recognition_title=lambda kind: _tr(catalogue().recognitions[kind].title)
        if kind in catalogue().recognitions else kind,
        status_labels=STATUS_LABELS, unit=_unit(cell), **_common(form))


def _unit(cell: Cell) -> str:
    if cell.group in ("target", "month", "cumulative") and cell.stage != "potential":
        return _tr(catalogue().targets[cell.key].unit)
    return _("家")


def _page_url(cell: Cell, args: dict[str, Any]) -> Any:
    return lambda number: url_for("pipeline.members", cell=str(cell), page=number, **args)


@bp.route("/targets", methods=["GET", "POST"])
@role_required("official", "admin")
def targets() -> str | Response | tuple[str, int]:
    """The year's targets with their history; officials and admins set a new value (district-wide)."""
    year = target_page.chosen_year(request.values.get("year"))
    if year is None:
        abort(404)
    session = get_session()
    forms = target_page.forms_for(year, request.form.get("target_id") if request.method == "POST" else None)
    if request.method == "POST":
        target_id = request.form.get("target_id", "")
        posted = forms.get(target_id)
        if posted is None:
            abort(400)
        if posted.validate_on_submit():
            target_page.save(session, year, target_id, posted, current_user.id)
            flash(_("已保存 %(year)s 年的目标：%(target)s。", year=year,
                    target=_tr(catalogue().targets[target_id].title)), "success")
            return redirect(url_for("pipeline.targets", year=year))
        status = 400
    else:
        status = 200
    return render_template("pipeline/targets.html", year=year, rows=target_page.rows(session, year, forms),
                           num=plain_number, tr=_tr), status
