"""The demo district's pipeline: the companies' projects (立项), their monthly progress, the official's
recognitions and this year's targets, so the official's dashboard is alive from the first login.

A good share of the companies with a result turn some of its recommendations into projects, as a
user does on the project form: the kind the catalogue gives the recommendation
(`kind_for_recommendation`), the recommendation's title as the name, a planned investment in 万元
plausible for the kind, a count for robots, start and finish dates over last year and this one.
Projects go through every status with a progress report per month; most completed ones are
recognised by the official (a recognition the catalogue allows for the kind, dated over this year's
months so the monthly view moves). The official then sets a couple of this year's targets
(`set_year_targets`); the others keep the work plan's defaults.

A small district is written through the store functions (add_project, report_progress, recognise); a
large one in bulk, writing the same columns (a project's status and investment to date are its
latest report's, its revision counts the reports and the recognition).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from diagnosis.core.pipeline_catalogue import catalogue, text
from diagnosis.pipeline.figures import Filters, target_figures
from diagnosis.store import standing
from diagnosis.store.accounts import User, utcnow
from diagnosis.store.assessments import ResultSnapshot, SnapshotRecommendation
from diagnosis.store.projects import (
    Project,
    ProjectProgress,
    ProjectRecognition,
    add_project,
    month_start,
    recognise,
    report_progress,
)
from diagnosis.store.targets import set_target

#: Above this many companies the projects are written in bulk.
STORE_LIMIT = 1000
CHUNK = 2000
#: Share of the companies with a result that start projects, and how many they start.
SHARE = 0.6
PROJECTS_PER_COMPANY = ((1, 6), (2, 3), (3, 1))
#: Statuses dealt in turn, so even a handful of projects shows every one (of 26: 8 completed, 10 in
#: progress, 6 planned, 2 stopped).
STATUS_DECK = ("completed", "in_progress", "planned", "stopped", "in_progress", "completed", "planned",
               "in_progress", "completed", "in_progress", "planned", "completed", "in_progress",
               "planned", "in_progress", "completed", "in_progress", "planned", "completed", "stopped",
               "in_progress", "in_progress", "completed", "planned", "in_progress", "completed")
#: Planned investment per project (万元) by kind; robots per robot.
INVESTMENT = {"5g_scenario": (80, 600), "cloud": (8, 80), "smart_factory": (800, 6000), "robot": (18, 45),
              "green_factory": (300, 2500), "energy": (60, 900), "tech_upgrade": (150, 3000)}
OTHER_INVESTMENT = (100, 1000)
#: Share of completed projects the official has recognised, and of those recognised this year.
RECOGNISED = 0.75
THIS_YEAR = 0.7
NOTES = {"planned": "已立项，正在办理前期手续。", "in_progress": "按计划推进，设备陆续到场安装调试。",
         "completed": "项目已完工，进入试运行。", "stopped": "资金未落实，项目暂停。"}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Report:
    month: date
    status: str
    investment_to_date: Decimal
    at: datetime


@dataclass(frozen=True)
class Recognised:
    kind: str
    on: date
    reference: str


@dataclass
class Plan:
    """One project as its company, and then the official, would record it."""

    company_id: int
    fields: dict[str, Any]
    created_at: datetime
    reports: list[Report]
    recognition: Recognised | None = None


@dataclass
class PipelineSeeded:
    statuses: Counter[str] = field(default_factory=Counter)
    recognised: int = 0
    #: target id -> the value the official set for this year
    targets: dict[str, Decimal] = field(default_factory=dict)

    def summary(self) -> str:
        words = {"planned": "已立项", "in_progress": "改造中", "completed": "已完成", "stopped": "已停止"}
        parts = "，".join(f"{words[status]} {self.statuses[status]}" for status in words)
        return (f"项目：{sum(self.statuses.values())} 个（{parts}），其中 {self.recognised} 个已验收或认定；"
                f"今年的目标由区科技经信局设定了 {len(self.targets)} 项，其余取工作要点的默认值。")


def seed_pipeline(session: Session, bundle, rng: random.Random, company_ids: list[int],
                  provider_ids: list[int], official_id: int | None) -> PipelineSeeded:
    today = utcnow().date()
    maker = PlanMaker(bundle, rng, provider_ids, today)
    plans: list[Plan] = []
    for start in range(0, len(company_ids), CHUNK):
        chunk = company_ids[start:start + CHUNK]
        recommended = recommendations(session, chunk)
        for company_id in chunk:
            picked = recommended.get(company_id)
            if picked and (company_id == company_ids[0] or rng.random() < SHARE):
                plans += maker.plans(company_id, picked, at_least=2 if company_id == company_ids[0] else 1)
    users = company_users(session, sorted({plan.company_id for plan in plans}))
    (write_each if len(company_ids) <= STORE_LIMIT else write_bulk)(session, plans, users, official_id)
    seeded = PipelineSeeded(Counter(plan.reports[-1].status for plan in plans),
                            sum(plan.recognition is not None for plan in plans))
    seeded.targets = set_year_targets(session, today.year, official_id)
    return seeded


def recommendations(session: Session, company_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """(recommendation id, project kind) of each company's latest result, in a stable order."""
    rows = session.execute(
        select(ResultSnapshot.company_id, SnapshotRecommendation.recommendation_id,
               SnapshotRecommendation.project_kind)
        .join(ResultSnapshot, ResultSnapshot.id == SnapshotRecommendation.snapshot_id)
        .where(ResultSnapshot.company_id.in_(company_ids), ResultSnapshot.is_latest)
        .order_by(ResultSnapshot.company_id, SnapshotRecommendation.recommendation_id))
    found: dict[int, list[tuple[str, str]]] = {}
    for company_id, recommendation_id, kind in rows:
        found.setdefault(company_id, []).append((recommendation_id, kind))
    return found


def company_users(session: Session, company_ids: list[int]) -> dict[int, int]:
    """Each company's first user (most demo companies have none: their projects have no author)."""
    users: dict[int, int] = {}
    for start in range(0, len(company_ids), CHUNK):
        rows = session.execute(select(User.company_id, User.id)
                               .where(User.company_id.in_(company_ids[start:start + CHUNK]))
                               .order_by(User.id.desc()))
        users.update({company_id: user_id for company_id, user_id in rows if company_id is not None})
    return users


class PlanMaker:
    def __init__(self, bundle, rng: random.Random, provider_ids: list[int], today: date):
        self.bundle, self.rng, self.provider_ids, self.today = bundle, rng, provider_ids, today
        self.dealt = 0
        self.references = 0
        self.first_recognition = True

    def plans(self, company_id: int, recommended: list[tuple[str, str]], at_least: int) -> list[Plan]:
        """Projects of different kinds, each from one of the company's recommendations of that kind."""
        by_kind: dict[str, list[str]] = {}
        for recommendation_id, kind in recommended:
            by_kind.setdefault(kind, []).append(recommendation_id)
        counts, weights = zip(*PROJECTS_PER_COMPANY, strict=True)
        wanted = max(at_least, self.rng.choices(counts, weights=weights)[0])
        kinds = self.rng.sample(sorted(by_kind), min(wanted, len(by_kind)))
        return [self.plan(company_id, kind, self.rng.choice(by_kind[kind])) for kind in kinds]

    def plan(self, company_id: int, kind: str, recommendation_id: str) -> Plan:
        rng = self.rng
        pipeline = catalogue()
        status = STATUS_DECK[self.dealt % len(STATUS_DECK)]
        self.dealt += 1
        quantity = rng.randint(2, 16) if pipeline.project_kinds[kind].quantity is not None else None
        low, high = INVESTMENT.get(kind, OTHER_INVESTMENT)
        planned = Decimal(str(round(math.exp(rng.uniform(math.log(low), math.log(high))), 2)))
        if quantity is not None:
            planned = (planned * quantity).quantize(CENT)
        name = text(self.bundle.text(recommendation_id), "zh_CN") or text(pipeline.project_kinds[kind].title,
                                                                            "zh_CN")
        start, finish, end = self.dates(status)
        recognition = None
        if status == "completed" and (self.first_recognition or rng.random() < RECOGNISED):
            recognition = self.recognition(kind, end)
        fields = {"kind": kind, "name": name[:200], "recommendation_id": recommendation_id,
                  "provider_org_id": rng.choice([*self.provider_ids, None]), "planned_investment": planned,
                  "quantity": quantity, "start_on": start, "planned_finish_on": finish}
        created = _moment(start - timedelta(days=rng.randint(10, 60)), min(utcnow(), _moment(start)))
        reports = self.reports(status, planned, start, finish, end)
        return Plan(company_id, fields, created, reports, recognition)

    def dates(self, status: str) -> tuple[date, date, date]:
        """Start, planned finish and the last reported day (completion or stop, today while running)."""
        rng, today = self.rng, self.today
        if status == "planned":
            start = min(today + timedelta(days=rng.randint(-45, 60)), date(today.year, 12, 31))
            return start, start + timedelta(days=rng.randint(180, 540)), today
        if status == "in_progress":
            start = today - timedelta(days=rng.randint(30, 500))
            return start, max(start + timedelta(days=rng.randint(180, 720)), today), today
        if status == "stopped":
            start = today - timedelta(days=rng.randint(120, 600))
            return start, start + timedelta(days=rng.randint(240, 600)), start + timedelta(
                days=rng.randint(60, 110))
        end = self.completion()
        start = end - timedelta(days=rng.randint(90, 360))
        return start, max(start, end + timedelta(days=rng.randint(-30, 30))), end

    def completion(self) -> date:
        """When a completed project finished: its recognition follows within weeks, this year for
        most (spread over the months so far), last year for the rest."""
        rng, today = self.rng, self.today
        if self.first_recognition or rng.random() < THIS_YEAR:
            first = date(today.year, 1, 1)
            recognised = first + timedelta(days=rng.randint(0, (today - first).days))
        else:
            recognised = date(today.year - 1, rng.randint(1, 12), rng.randint(1, 28))
        return recognised - timedelta(days=rng.randint(10, 60))

    def reports(self, status: str, planned: Decimal, start: date, finish: date, end: date) -> list[Report]:
        """One report a month from the start to ``end``: investment rising with the months worked,
        the last one in the project's status (a planned project: one report, nothing invested)."""
        if status == "planned":
            month = month_start(min(self.today, start))
            return [Report(month, "planned", Decimal(0), self.reported(month))]
        months = _months(month_start(start), month_start(end))
        length = max(1, len(_months(month_start(start), month_start(finish))))
        reports, invested = [], Decimal(0)
        for number, month in enumerate(months, start=1):
            last = number == len(months)
            share = self.rng.uniform(0.9, 1.05) if last and status == "completed" else min(
                1.0, number / length * self.rng.uniform(0.6, 1.0))
            invested = max(invested, (planned * Decimal(str(share))).quantize(CENT))
            reports.append(Report(month, status if last else "in_progress", invested, self.reported(month)))
        return reports

    def recognition(self, kind: str, completed: date) -> Recognised:
        """A recognition the catalogue allows for ``kind``, the kind's own ones first (a general
        acceptance for one in ten), a few weeks after completion."""
        allowed = catalogue().recognitions_for(kind)
        own = [recognition.id for recognition in allowed if recognition.project_kinds]
        general = [recognition.id for recognition in allowed if not recognition.project_kinds]
        choice = self.rng.choice(own if own and (not general or self.rng.random() < 0.9) else general)
        on = min(self.today, completed + timedelta(days=self.rng.randint(10, 60)))
        if self.first_recognition and on.year != self.today.year:
            on = self.today
        self.first_recognition = False
        self.references += 1
        return Recognised(choice, on, f"叶经信〔{on.year}〕{self.references}号")

    def reported(self, month: date) -> datetime:
        """A month's report is filed near its end (never later than now)."""
        return min(utcnow(), datetime(month.year, month.month, 25, 9, tzinfo=UTC)
                   + timedelta(hours=self.rng.randint(0, 240)))


def _months(first: date, last: date) -> list[date]:
    months = []
    while first <= last:
        months.append(first)
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return months


def _moment(day: date, latest: datetime | None = None) -> datetime:
    moment = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    return min(moment, latest) if latest is not None else moment


def write_each(session: Session, plans: list[Plan], users: dict[int, int], official_id: int | None) -> None:
    """Through the store functions, as the project pages do; then dated to when it happened."""
    for plan in plans:
        user_id = users.get(plan.company_id)
        project = add_project(session, plan.company_id, user_id, **plan.fields)
        project.created_at = plan.created_at
        for report in plan.reports:
            row = report_progress(session, project, user_id, month=report.month, status=report.status,
                                  investment_to_date=report.investment_to_date, note=NOTES[report.status])
            row.at = report.at
        if plan.recognition is not None:
            recognition = plan.recognition
            recorded = recognise(session, project, official_id, kind=recognition.kind,
                                 recognised_on=recognition.on, reference=recognition.reference)
            recorded.recorded_at = _moment(recognition.on, utcnow())
    session.flush()


def write_bulk(session: Session, plans: list[Plan], users: dict[int, int], official_id: int | None) -> None:
    """The same rows in a few INSERTs per CHUNK projects."""
    for start in range(0, len(plans), CHUNK):
        chunk = plans[start:start + CHUNK]
        rows = [{**plan.fields, "company_id": plan.company_id, "created_by_id": users.get(plan.company_id),
                 "created_at": plan.created_at, "status": plan.reports[-1].status,
                 "investment_to_date": plan.reports[-1].investment_to_date,
                 "revision": len(plan.reports) + (plan.recognition is not None)} for plan in chunk]
        ids = session.scalars(insert(Project).returning(Project.id, sort_by_parameter_order=True), rows).all()
        progress, recognitions = [], []
        for project_id, plan in zip(ids, chunk, strict=True):
            user_id = users.get(plan.company_id)
            progress += [{"project_id": project_id, "month": report.month, "status": report.status,
                          "investment_to_date": report.investment_to_date, "note": NOTES[report.status],
                          "user_id": user_id, "at": report.at} for report in plan.reports]
            if plan.recognition is not None:
                recognition = plan.recognition
                recognitions.append({"project_id": project_id, "company_id": plan.company_id,
                                     "kind": recognition.kind, "recognised_on": recognition.on,
                                     "reference": recognition.reference, "recorded_by_id": official_id,
                                     "recorded_at": _moment(recognition.on, utcnow())})
        session.execute(insert(ProjectProgress), progress)
        if recognitions:
            session.execute(insert(ProjectRecognition), recognitions)
        standing.refresh(session, [plan.company_id for plan in chunk])


def set_year_targets(session: Session, year: int, official_id: int | None) -> dict[str, Decimal]:
    """The official sets a couple of ``year``'s targets, so the dashboard shows one target met and
    the others still ahead: the target furthest along (of those the defaults already count as met,
    the one nearest its default) is set to what is done; every other target the default would call
    met is raised above what is done; if that makes fewer than two, the first target left is raised
    too. The rest keep the catalogue's defaults."""
    targets = catalogue().targets
    filters = Filters(year=year)
    done = {target_id: target_figures(session, filters, target, target.default).stages["done"]
            for target_id, target in targets.items()}
    ratios = {target_id: done[target_id] / target.default for target_id, target in targets.items()
              if done[target_id] > 0 and target.default > 0}
    goals: dict[str, Decimal] = {}
    if ratios:
        reached = [target_id for target_id, ratio in ratios.items() if ratio >= 1]
        met = min(reached, key=ratios.__getitem__) if reached else max(ratios, key=ratios.__getitem__)
        goals[met] = Decimal(math.floor(done[met])) or Decimal(str(done[met])).quantize(CENT)
    for target_id, target in targets.items():
        if target_id not in goals and done[target_id] >= target.default:
            goals[target_id] = _raised(done[target_id])
    for target_id, target in targets.items():
        if len(goals) >= 2:
            break
        if target_id not in goals:
            goals[target_id] = _raised(max(done[target_id], target.default))
    set_on = datetime(year, 1, 8, 9, tzinfo=UTC)
    for target_id, goal in goals.items():
        set_target(session, year, target_id, goal, official_id).set_at = min(utcnow(), set_on)
    session.flush()
    return goals


def _raised(value: float) -> Decimal:
    """A goal a quarter above ``value`` (at least one more)."""
    return Decimal(math.ceil(value * 1.25) + 1)
