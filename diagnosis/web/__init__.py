"""The web layer: one blueprint per feature, registered in the order of this list.

A new feature adds one import and one list entry here.
"""

from __future__ import annotations

from diagnosis.api.routes import bp as api_bp
from diagnosis.api.routes import tokens_page_bp as api_tokens_bp
from diagnosis.web.admin.views import bp as admin_bp
from diagnosis.web.assess.views import bp as assess_bp
from diagnosis.web.assign.views import bp as assign_bp
from diagnosis.web.auth.views import bp as auth_bp
from diagnosis.web.company.views import bp as company_bp
from diagnosis.web.evidence.views import bp as evidence_bp
from diagnosis.web.exports.views import bp as exports_bp
from diagnosis.web.i18n import bp as i18n_bp
from diagnosis.web.pipeline.views import bp as pipeline_bp
from diagnosis.web.projects.views import bp as projects_bp
from diagnosis.web.quality.views import bp as quality_bp
from diagnosis.web.reports.views import bp as reports_bp
from diagnosis.web.respond.views import bp as respond_bp
from diagnosis.web.review.views import bp as review_bp
from diagnosis.web.review_recs.views import bp as review_recs_bp
from diagnosis.web.roster.views import bp as roster_bp
from diagnosis.web.worklist.views import bp as worklist_bp

BLUEPRINTS = [
    auth_bp,
    i18n_bp,
    company_bp,
    admin_bp,
    assess_bp,
    reports_bp,
    assign_bp,
    worklist_bp,
    review_bp,
    review_recs_bp,
    evidence_bp,
    respond_bp,
    quality_bp,
    projects_bp,
    pipeline_bp,
    exports_bp,
    roster_bp,
    api_bp,
    api_tokens_bp,
]
