"""Recommendations: 5G scenarios, the 上云 ladder, the smart-factory ladders, SME level uplift,
CMMM gaps, foundations, robots, energy / green and industry-specific actions, each ranked by
priority = gap x impact x fit x incentive (x the prerequisites factor) and explained by the leaves
that triggered it; ranking.py merges, brings in prerequisites, orders and folds the list.

The result holds ids, keys and numbers only. Texts live in `Catalogues.texts` ({zh_CN, en} per key):

    <rec id>, <rec id>.why, <rec id>.how   every recommendation id below
    5g.<scenario>                           the 20 scenarios            (kind 5g_scenario)
    cloud.l0 ... cloud.l4                   the ladder steps            (kind cloud_step for l1-l4)
    sf.<rung>, sf.<rung>.edition            smart-factory rungs (kind smart_factory; entry id <rung>)
    sf.<rung>.<criterion>                   a rung's criterion
    robot.<id>, green.<id>, industry.<id>   actions                     (kind robot | green | industry)
    sme.uplift                              SME level uplift            (kind sme_uplift)
    cmmm.<subdomain>                        CMMM sub-domain gap         (kind cmmm_gap)
    cmmm.complete                           answer the open CMMM statements (kind complete_cmmm)
    foundation.<id>                         digital foundations (MES, plant network ...) (kind foundation)
    5g.prereq.<id>, cloud.prereq.<id>, action.prereq.<id>   prerequisites (params.unmet_prerequisites)
    phase.<id>                              a phase's title (recommendation `phase`: 0-6, 6-18, 18-36)
    incentive.<id>, priority.formula, priority.factor.<factor>, priority.gap.<kind>   the formula
"""

from __future__ import annotations

from typing import Any

from diagnosis.core.context import Context
from diagnosis.core.recommend.catalogues import Catalogues
from diagnosis.core.recommend.cmmm_gaps import find_gaps
from diagnosis.core.recommend.ladders import assess_smart_factory, climb_cloud
from diagnosis.core.recommend.ranking import arrange
from diagnosis.core.recommend.sme_uplift import plan_uplift
from diagnosis.core.recommend.triggered import recommend_candidates


def advise(bundle: Any, ctx: Context, scorecard: dict[str, Any]) -> dict[str, Any]:
    """The result's smart_factory, cloud and recommendations parts (docs/result-format.md)."""
    catalogues: Catalogues = bundle.catalogues
    settings = catalogues.priority
    tags = ctx.profile.get("industry_tags") or ()
    recommendations: list[dict[str, Any]] = []
    recommend_candidates(catalogues.scenarios, ctx, tags, recommendations)
    recommend_candidates(catalogues.actions, ctx, tags, recommendations)
    cloud = climb_cloud(catalogues.cloud_steps, ctx, settings, recommendations)
    smart_factory = assess_smart_factory(catalogues.rungs, ctx, settings, recommendations)
    plan_uplift(bundle.sme_model.levels, scorecard["sme"], catalogues.sme_uplift, settings, recommendations)
    find_gaps(scorecard["cmmm"], bundle.cmmm_model, ctx.answers, catalogues.cmmm_gaps, settings,
              recommendations)
    fitting = {fitting.candidate.rec_id: fitting for group in (catalogues.scenarios, catalogues.actions)
               for fitting in group.fitting(tags)}
    ranked = arrange(recommendations, ctx, settings, fitting, catalogues.prerequisites, catalogues.absorbs)
    return {"smart_factory": smart_factory, "cloud": cloud, "recommendations": ranked}
