"""Provider quality for officials and admins: sign-offs, time to sign-off, adjustments, disputes."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user

from diagnosis.store.db import get_session
from diagnosis.store.quality import Figures, provider_quality
from diagnosis.web.access import role_required
from diagnosis.web.reports.batches import scope_parks

bp = Blueprint("quality", __name__, url_prefix="/quality")

NO_VALUE = "—"


@bp.get("/")
@role_required("official", "admin")
def index() -> str:
    """Every organisation's figures with its diagnosticians beneath; an official's count only the
    companies of the parks they cover."""
    parks = scope_parks(current_user)
    orgs = provider_quality(get_session(), parks)
    return render_template("quality/index.html", orgs=orgs, parks=parks, cells=cells)


def cells(figures: Figures) -> dict[str, str]:
    """The figures as the page shows them, each with its unit ("—" where nothing was measured, no
    detail then)."""
    days = _decimal(figures.median_days)
    adjusted = _decimal(_percent(figures.adjusted_share))
    change = _decimal(figures.mean_points_change, signed=True)
    evidence = _decimal(figures.evidence_per_adjusted)
    disputed = _decimal(_percent(figures.disputed_share))
    return {
        "signed_off": _("%(n)s 份", n=figures.signed_off),
        "median_days": _("%(n)s 天", n=days) if days else NO_VALUE,
        "adjusted_share": _("%(n)s%%", n=adjusted) if adjusted else NO_VALUE,
        "adjusted_detail": _("%(adjusted)s / %(items)s 项", adjusted=figures.adjusted,
                             items=figures.items) if adjusted else "",
        "points_change": _("%(n)s 分", n=change) if change else NO_VALUE,
        "evidence": _("%(n)s 个", n=evidence) if evidence else NO_VALUE,
        "evidence_detail": _("共 %(n)s 个文件", n=figures.evidence) if evidence else "",
        "disputed": _("%(n)s 份", n=figures.disputed),
        "disputed_share": _("%(n)s%%", n=disputed) if disputed else "",
    }


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def _decimal(value: float | None, *, signed: bool = False) -> str:
    """One decimal ("" when there is nothing to show); a signed value with its sign, "−" for minus."""
    if value is None:
        return ""
    text = f"{value:+.1f}" if signed else f"{value:.1f}"
    if signed and float(text) == 0:
        text = "0.0"
    return text.replace("-", "−")
