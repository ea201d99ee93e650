"""A small district for the pipeline tests: companies in two parks with self and verified snapshots,
projects in every stage, recognitions in different months. The expected figures are written out by
hand in the tests that use it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from diagnosis.store import assessments as store
from diagnosis.store.accounts import ProviderOrg
from diagnosis.store.companies import Company
from diagnosis.store.projects import Project, add_project, recognise, report_progress
from tests.support import furniture_company
from tests.web.assess_helpers import example_result, new_assessment

PARK_A, PARK_B = "家居产业园", "化工园区"
YEAR = 2026
_sequence = itertools.count(7000)


@dataclass
class District:
    org: ProviderOrg
    a: list[Company] = field(default_factory=list)
    b: list[Company] = field(default_factory=list)
    projects: dict[str, Project] = field(default_factory=dict)


def company(session: Session, park: str, org: ProviderOrg | None = None, registered: bool = True,
            **fields: Any) -> Company:
    seq = next(_sequence)
    values: dict[str, Any] = {"park": park, "registered_at": date(YEAR, 1, 5) if registered else None}
    if org is not None:
        values["provider_org_id"] = org.id
    return furniture_company(session, seq, f"调度企业{seq}", **{**values, **fields})


def snapshot(session: Session, target: Company, name: str, kind: str = "self",
             recommendations: list[tuple[str, str]] | None = None) -> None:
    assessment = new_assessment(session, target)
    store.add_snapshot(session, assessment, example_result(name), kind=kind, recommendations=recommendations)


def project(session: Session, owner: Company, kind: str, status: str = "planned", *,
            planned: str = "100", invested: str = "0", quantity: int | None = None) -> Project:
    made = add_project(session, owner.id, None, kind=kind, name=f"{kind} 项目",
                       planned_investment=Decimal(planned), quantity=quantity,
                       start_on=date(YEAR, 1, 1), planned_finish_on=date(YEAR, 12, 31))
    if status != "planned":
        report_progress(session, made, None, month=date(YEAR, 2, 1), status=status,
                        investment_to_date=Decimal(invested), note="")
    return made


def build_district(session: Session) -> District:
    """Park A: four registered companies (two self-assessed furniture, one of them also verified at
    cement's levels; one chemicals self-assessed with only a cloud recommendation) and one roster
    company; park B: two companies, one self-assessed.

    Projects (all in park A unless said):
    - robots: r1 recognised 2026-03-10 (6 robots), r2 recognised 2026-05-20 (4 robots), r3 in progress
      (3 robots), r4 planned (2 robots); r5 in park B recognised 2026-03-01 (5 robots); r6 recognised
      2025-11-01 (earlier year; counted nowhere).
    - cloud: c1 and c2 of the same company recognised 2026-04-02 and 2026-06-15 (one company, April),
      c3 stopped.
    - smart factory: s1 recognised as 市级数字化车间 2026-03-15 (done), s2 completed with a recognition
      that does not count (project_accepted) → in progress.
    """
    org = ProviderOrg(name=f"调度服务商{next(_sequence)}")
    session.add(org)
    session.flush()
    world = District(org)
    a1, a2, a3, a4 = (company(session, PARK_A, org) for _ in range(4))
    roster = company(session, PARK_A, registered=False)
    world.a = [a1, a2, a3, a4, roster]
    b1, b2 = company(session, PARK_B, org), company(session, PARK_B)
    world.b = [b1, b2]
    snapshot(session, a1, "furniture_2110")
    snapshot(session, a1, "cement_3011", kind="verified")
    snapshot(session, a2, "furniture_2110")
    snapshot(session, a3, "chemicals_2614", recommendations=[("cloud.step", "cloud_step")])
    snapshot(session, b1, "furniture_2110")
    p = world.projects
    p["r1"] = project(session, a1, "robot", "completed", invested="50", quantity=6)
    recognise(session, p["r1"], None, kind="robots_in_service", recognised_on=date(YEAR, 3, 10), reference="")
    p["r2"] = project(session, a2, "robot", "completed", invested="40", quantity=4)
    recognise(session, p["r2"], None, kind="robots_in_service", recognised_on=date(YEAR, 5, 20), reference="")
    p["r3"] = project(session, a2, "robot", "in_progress", invested="10", quantity=3)
    p["r4"] = project(session, a4, "robot", quantity=2)
    p["r5"] = project(session, b1, "robot", "completed", invested="30", quantity=5)
    recognise(session, p["r5"], None, kind="robots_in_service", recognised_on=date(YEAR, 3, 1), reference="")
    p["r6"] = project(session, a4, "robot", "completed", invested="20", quantity=7)
    recognise(session, p["r6"], None, kind="robots_in_service", recognised_on=date(YEAR - 1, 11, 1),
              reference="")
    p["c1"] = project(session, a3, "cloud", "completed", invested="5")
    recognise(session, p["c1"], None, kind="cloud_star_3", recognised_on=date(YEAR, 4, 2), reference="")
    p["c2"] = project(session, a3, "cloud", "completed", invested="6")
    recognise(session, p["c2"], None, kind="cloud_star_4", recognised_on=date(YEAR, 6, 15), reference="")
    p["c3"] = project(session, a1, "cloud", "stopped")
    p["s1"] = project(session, a1, "smart_factory", "completed", invested="300", planned="280")
    recognise(session, p["s1"], None, kind="digital_workshop_municipal", recognised_on=date(YEAR, 3, 15),
              reference="")
    p["s2"] = project(session, a2, "smart_factory", "completed", invested="0", planned="120")
    recognise(session, p["s2"], None, kind="project_accepted", recognised_on=date(YEAR, 4, 1), reference="")
    session.flush()
    return world
