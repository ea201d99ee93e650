"""The words of the pipeline pages: stages, coverage, project statuses, and each cell's title."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from diagnosis.core.pipeline_catalogue import catalogue, text
from diagnosis.pipeline.figures import Cell, Filters
from diagnosis.web.i18n import current_language

STAGE_LABELS = {"done": _l("已完成"), "in_progress": _l("实施中"), "planned": _l("计划中"),
                "potential": _l("潜在")}
COVERAGE_LABELS = {"roster": _l("名录企业"), "registered": _l("已注册"), "self_assessed": _l("已自评"),
                   "verified": _l("已核验")}
STATUS_LABELS = {"planned": _l("计划中"), "in_progress": _l("实施中"), "completed": _l("已完成"),
                 "stopped": _l("已停止")}
LEVEL_KIND_LABELS = {"self": _l("自评"), "verified": _l("核验")}
MODEL_LABELS = {"sme": _l("中小企业数字化水平"), "cmmm": _l("智能制造能力成熟度")}


def cell_title(cell: Cell, filters: Filters) -> str:
    """What the number counts, e.g. "推广应用工业机器人 · 已完成（2026 年）"."""
    if cell.group == "coverage":
        return _("覆盖情况 · %(what)s", what=COVERAGE_LABELS[cell.key])
    if cell.group in MODEL_LABELS:
        return _("%(model)s · %(kind)s · %(n)s 级", model=MODEL_LABELS[cell.group],
                 kind=LEVEL_KIND_LABELS[cell.key], n=cell.stage)
    target = text(catalogue().targets[cell.key].title, current_language())
    if cell.group == "target":
        return _("%(target)s · %(stage)s（%(year)s 年）", target=target, stage=STAGE_LABELS[cell.stage],
                 year=filters.year)
    if cell.group == "month":
        return _("%(target)s · %(month)s 本月新增", target=target, month=cell.stage)
    return _("%(target)s · 累计至 %(month)s", target=target, month=cell.stage)
