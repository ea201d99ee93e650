"""The words for the review states of diagnosis.store.worklist (the store keeps keys only)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATE_LABELS = {
    "awaiting_self_assessment": _l("等待企业自评"),
    "self_assessed": _l("企业已自评"),
    "visit_planned": _l("已安排上门"),
    "in_progress": _l("核验中"),
    "returned": _l("退回企业补充材料"),
    "signed_off": _l("已签字确认"),
    "confirmed": _l("企业已确认"),
    "disputed": _l("企业有异议"),
}
