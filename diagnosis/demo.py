"""`flask demo seed`: a synthetic district of companies, a third with submitted diagnoses, one demo
account per role, and the provider organisations' on-site reviews (diagnosis/demo_reviews.py).
Fast enough for thousands of companies (bulk inserts, one bundle load)."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import insert, select

from diagnosis.core.answers import missing_required, validate_answers
from diagnosis.core.engine import diagnose
from diagnosis.core.uscc import ALPHABET, check_character, org_code_check_character
from diagnosis.demo_answers import AnswerMaker
from diagnosis.demo_reviews import LEAD, MEMBER, OTHER, seed_reviews
from diagnosis.store.accounts import ProviderOrg, User, create_user, user_by_email, utcnow
from diagnosis.store.assessments import Answer, Assessment, AuditEvent, add_first_snapshots
from diagnosis.store.assignments import Assignment
from diagnosis.store.companies import Company
from diagnosis.store.db import get_session, session
from diagnosis.web.bundle import current_bundle

demo_cli = AppGroup("demo", help="演示数据。")

#: 六安市叶集区 (GB/T 2260): the registering authority's division in the generated credit codes.
DIVISION = "341504"
DISTRICT = "叶集区"


@dataclass(frozen=True)
class DemoAccount:
    role: str
    label: str
    email: str
    password: str
    #: The name the platform shows (the label when empty); a provider's organisation (index into
    #: PROVIDER_ORGS) and whether they lead it.
    name: str = ""
    org: int = 0
    lead: bool = False


#: The admin's comes last: `seed --once` looks for it.
ACCOUNTS = (
    DemoAccount("company", "企业用户", "company@demo.test", "demo-company-2026"),
    DemoAccount("provider", "服务商负责人", LEAD, "demo-provider-2026", name="周立新", lead=True),
    DemoAccount("provider", "服务商诊断师", MEMBER, "demo-diagnostician-2026", name="陈静"),
    DemoAccount("provider", "另一服务商诊断师", OTHER, "demo-lingyang-2026", name="刘洋", org=1),
    DemoAccount("official", "区科技经信局", "official@demo.test", "demo-official-2026"),
    DemoAccount("admin", "平台管理员", "admin@demo.test", "demo-admin-2026"),
)
PROVIDER_ORGS = ("六安智造数字科技有限公司", "安徽羚羊工业互联网服务有限公司", "合肥数转咨询有限公司")

#: Share of the district's companies per industry tag ("" = the district's other manufacturers).
TAG_WEIGHTS = {"furniture": 30, "panels": 25, "chemicals": 12, "down": 8, "cement": 5, "glass": 5,
               "copper": 5, "lighting": 5, "": 5}
NAME_WORDS = {"furniture": ("家居", "家具", "木业", "全屋定制"), "panels": ("木业", "板业", "新材料", "模板"),
              "chemicals": ("化工", "新材料", "精细化工"), "cement": ("水泥", "建材", "商砼"),
              "copper": ("铜业", "线缆", "金属材料"), "down": ("羽绒", "羽毛制品", "家纺"),
              "glass": ("玻璃", "玻璃制品"), "lighting": ("照明", "光电", "灯饰"),
              "": ("实业", "制品", "科技")}
PARKS_BY_TAG = {"furniture": ("家居产业园", "经济开发区"), "chemicals": ("化工园区",),
                "panels": ("经济开发区", "孙岗乡", "三元镇")}
BRAND_CHARS = "恒达华森鑫盛金叶林安固伟杰永润世辉宏兴源泰嘉瑞丰德昌隆裕福祥腾远博宇欣晟"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐"
REVENUE_BY_EMPLOYEES = ((20, "lt_5m"), (60, "5m_20m"), (250, "20m_100m"), (800, "100m_400m"))


def credit_code(rng: random.Random, taken: set[str]) -> str:
    """A valid unified social credit code (both check characters right) not in ``taken``."""
    while True:
        body = "".join(rng.choice(ALPHABET) for _ in range(8))
        code17 = "91" + DIVISION + body + org_code_check_character(body)
        code = code17 + check_character(code17)
        if code not in taken:
            taken.add(code)
            return code


def company_name(rng: random.Random, tag: str, taken: set[str]) -> str:
    for _ in range(50):
        brand = "".join(rng.sample(BRAND_CHARS, 2))
        name = f"{DISTRICT}{brand}{rng.choice(NAME_WORDS[tag])}有限公司"
        if name not in taken:
            taken.add(name)
            return name
    name = f"{DISTRICT}{''.join(rng.sample(BRAND_CHARS, 3))}{rng.choice(NAME_WORDS[tag])}有限公司"
    taken.add(name)
    return name


def industry_pools(industries) -> dict[str, list[str]]:
    """Industry codes per district tag; untagged codes under ""."""
    pools: dict[str, list[str]] = {tag: [] for tag in TAG_WEIGHTS}
    for industry in industries.all():
        for tag in industry.tags or ("",):
            pools.setdefault(tag, []).append(industry.code)
    return {tag: codes for tag, codes in pools.items() if codes}


def revenue_band(employees: int) -> str:
    return next((band for limit, band in REVENUE_BY_EMPLOYEES if employees < limit), "ge_400m")


def make_company(rng: random.Random, pools, parks, codes: set[str], names: set[str]) -> Company:
    tags = [tag for tag in TAG_WEIGHTS if tag in pools]
    tag = rng.choices(tags, weights=[TAG_WEIGHTS[t] for t in tags])[0]
    employees = int(min(3000, max(8, rng.lognormvariate(4.3, 0.9))))
    band = revenue_band(employees)
    park = rng.choice([p for p in PARKS_BY_TAG.get(tag, ()) if p in parks] or list(parks))
    return Company(
        name=company_name(rng, tag, names), credit_code=credit_code(rng, codes),
        industry_code=rng.choice(pools[tag]), park=park, employees=employees, revenue_band=band,
        above_designated_size=band in ("20m_100m", "100m_400m", "ge_400m"),
        contact_name=rng.choice(SURNAMES) + rng.choice(("经理", "主任", "总监")),
        contact_phone=f"0564-{rng.randrange(2000000, 8999999)}", created_at=utcnow())


def ensure_provider_orgs() -> list[int]:
    existing = {org.name: org.id for org in session.scalars(select(ProviderOrg))}
    for name in PROVIDER_ORGS:
        if name not in existing:
            org = ProviderOrg(name=name, created_at=utcnow())
            session.add(org)
            session.flush()
            existing[name] = org.id
    return [existing[name] for name in PROVIDER_ORGS]


def create_accounts(first_company: Company, provider_ids: list[int]) -> None:
    for account in ACCOUNTS:
        links: dict[str, dict[str, object]] = {
            "company": {"company_id": first_company.id}, "official": {"regions": []}, "admin": {},
            "provider": {"provider_org_id": provider_ids[account.org], "is_lead": account.lead}}
        if user_by_email(get_session(), account.email) is None:
            create_user(get_session(), email=account.email, name=account.name or account.label,
                        password=account.password, role=account.role, **links[account.role])


def assign_others(companies: list[Company], org_ids: list[int], rng: random.Random,
                  official_id: int | None) -> None:
    """About half the companies no story used go to the other organisations (bulk; the same rows
    `assignments.assign` writes: an Assignment, mirrored in Company.provider_org_id)."""
    rows = []
    for company in companies:
        if company.provider_org_id is None and rng.random() < 0.5:
            company.provider_org_id = rng.choice(org_ids)
            rows.append({"company_id": company.id, "provider_org_id": company.provider_org_id,
                         "assigned_by_id": official_id,
                         "assigned_at": utcnow() - timedelta(days=rng.uniform(1, 60))})
    session.flush()
    if rows:
        session.execute(insert(Assignment), rows)


class AssessmentWriter:
    """Collects assessments' answers, audit events and snapshots and writes them in bulk."""

    def __init__(self, bundle, instrument, rng: random.Random):
        self.bundle, self.instrument, self.rng = bundle, instrument, rng
        self.maker = AnswerMaker(instrument, rng)
        self.answers: list[dict] = []
        self.events: list[dict] = []
        self.snapshots: list[dict] = []

    def add(self, company: Company, profile: dict, submitted: bool) -> None:
        maturity = self.maker.maturity(company.employees or 0)
        answers = validate_answers(self.instrument, self.maker.answers(profile, maturity), profile).values
        if submitted:
            answers.update(self.maker.fill(missing_required(self.instrument, answers, profile)))
        else:
            answers = self.maker.partial(answers, self.rng.uniform(0.1, 0.7))
        started = utcnow() - timedelta(days=self.rng.uniform(5, 120))
        finished = started + timedelta(days=self.rng.uniform(0.1, 4)) if submitted else None
        assessment = Assessment(company_id=company.id, questionnaire_id=self.instrument.id,
                                questionnaire_version=str(self.instrument.version), revision=len(answers),
                                status="submitted" if submitted else "draft", created_at=started,
                                submitted_at=finished)
        session.add(assessment)
        session.flush()
        for revision, (qid, value) in enumerate(sorted(answers.items()), start=1):
            self.answers.append({"assessment_id": assessment.id, "question_id": qid, "source": "company",
                                 "value": value, "revision": revision, "updated_at": started})
            self.events.append({"assessment_id": assessment.id, "at": started, "question_id": qid,
                                "source": "company", "old": None, "new": value,
                                "reason": "demo seed"})
        if submitted:
            result = diagnose(self.bundle, answers, profile, instrument_id=self.instrument.id)
            self.snapshots.append({"assessment_id": assessment.id, "company_id": company.id, "kind": "self",
                                   "result": result, "created_at": assessment.submitted_at})
            self.events.append({"assessment_id": assessment.id, "at": assessment.submitted_at,
                                "question_id": None, "source": "company", "old": {"status": "draft"},
                                "new": {"status": "submitted"}, "reason": "demo seed"})

    def write(self) -> None:
        for model, rows in ((Answer, self.answers), (AuditEvent, self.events)):
            if rows:
                session.execute(insert(model), rows)
        add_first_snapshots(get_session(), self.snapshots)
        self.answers, self.events, self.snapshots = [], [], []


def seed_district(count: int, rng: random.Random) -> tuple[Company, int, int, dict[str, int]]:
    """Add ``count`` companies; a third submitted, a third with a draft; the demo accounts; the
    reviews. Returns the first company (the demo company account's), the numbers of submitted and
    draft assessments and of the reviewed companies per work-list state."""
    bundle = current_bundle()
    instrument = bundle.active_instrument()
    provider_ids = ensure_provider_orgs()
    codes = set(session.scalars(select(Company.credit_code)))
    names = set(session.scalars(select(Company.name)))
    pools = industry_pools(bundle.industries)
    parks = current_app.config["PARKS"]
    companies = [make_company(rng, pools, parks, codes, names) for _ in range(count)]
    session.add_all(companies)
    session.flush()
    writer = AssessmentWriter(bundle, instrument, rng)
    submitted = drafts = 0
    for index, company in enumerate(companies):
        stage = index % 3
        if stage == 2:
            continue
        writer.add(company, bundle.profile(company.profile), submitted=stage == 0)
        submitted, drafts = submitted + (stage == 0), drafts + (stage == 1)
        if index % 300 == 299:
            writer.write()
    writer.write()
    create_accounts(companies[0], provider_ids)
    official = user_by_email(get_session(), "official@demo.test")
    official_id = official.id if official is not None else None
    played = seed_reviews(get_session(), bundle, rng, companies, provider_ids, official_id)
    assign_others(companies, provider_ids[1:], rng, official_id)
    return companies[0], submitted, drafts, played


def print_accounts() -> None:
    click.echo("演示账号（仅供演示，请勿用于生产环境）：")
    for account in ACCOUNTS:
        click.echo(f"  {account.label:<8} {account.email:<24} 密码 {account.password}")


@demo_cli.command("seed")
@click.option("--companies", default=40, show_default=True, type=click.IntRange(1, 100_000),
              help="要生成的企业数量")
@click.option("--once", is_flag=True, help="已有演示数据时不再生成（make run 每次都调用）")
@click.option("--random-seed", default=2026, show_default=True, help="随机数种子（结果可复现）")
def seed(companies: int, once: bool, random_seed: int) -> None:
    """Make a demo district: companies across the district's industries, diagnoses, demo accounts."""
    if once and session.scalar(select(User.id).where(User.email == ACCOUNTS[-1].email)) is not None:
        click.echo("演示数据已存在，跳过生成。")
        print_accounts()
        return
    started = time.perf_counter()
    first, submitted, drafts, played = seed_district(companies, random.Random(random_seed))
    session.commit()
    click.echo(f"已生成 {companies} 家企业（{submitted} 份已提交诊断，{drafts} 份填写中），"
               f"用时 {time.perf_counter() - started:.1f} 秒。演示企业：{first.name}")
    click.echo(f"服务商现场诊断流程中：{sum(played.values())} 家企业，"
               f"其中 {played.get('signed_off', 0) + played.get('confirmed', 0) + played.get('disputed', 0)}"
               " 份已签字确认。")
    print_accounts()
