"""`flask demo seed`: a synthetic district of companies, a third with submitted diagnoses, one demo
account per role, the provider organisations' on-site reviews (diagnosis/demo_reviews.py) and the
companies' projects against the year's targets (diagnosis/demo_pipeline.py).

Fast enough for 100,000 companies: companies are inserted a chunk at a time, and the assessments
made in worker processes and written in bulk (diagnosis/demo_assessments.py)."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import insert, select, text, update

from diagnosis.core.uscc import ALPHABET, check_character, org_code_check_character
from diagnosis.demo_assessments import BATCH, Work, made_batches, write_assessments
from diagnosis.demo_pipeline import PipelineSeeded, seed_pipeline
from diagnosis.demo_reviews import LEAD, MEMBER, OTHER, seed_reviews
from diagnosis.store.accounts import ProviderOrg, User, create_user, user_by_email, utcnow
from diagnosis.store.assignments import Assignment
from diagnosis.store.companies import Company
from diagnosis.store.db import get_session, session
from diagnosis.web.bundle import current_bundle

demo_cli = AppGroup("demo", help="演示数据。")

#: 六安市叶集区 (GB/T 2260): the registering authority's division in the generated credit codes.
DIVISION = "341504"
DISTRICT = "叶集区"
#: Companies per INSERT (and ids per IN list).
CHUNK = 2000


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


def make_company(rng: random.Random, pools, parks, codes: set[str], names: set[str], *,
                 roster_only: bool = False) -> dict[str, Any]:
    """A company's columns: registered (registered_at = created_at, before its diagnosis), or only
    listed in the district's roster (imported, not registered: no size or revenue yet)."""
    tags = [tag for tag in TAG_WEIGHTS if tag in pools]
    tag = rng.choices(tags, weights=[TAG_WEIGHTS[t] for t in tags])[0]
    employees = int(min(3000, max(8, rng.lognormvariate(4.3, 0.9))))
    band = revenue_band(employees)
    park = rng.choice([p for p in PARKS_BY_TAG.get(tag, ()) if p in parks] or list(parks))
    created = utcnow() - timedelta(days=rng.uniform(130, 720))
    row: dict[str, Any] = {
        "name": company_name(rng, tag, names), "credit_code": credit_code(rng, codes),
        "industry_code": rng.choice(pools[tag]), "park": park, "employees": employees, "revenue_band": band,
        "above_designated_size": band in ("20m_100m", "100m_400m", "ge_400m"),
        "contact_name": rng.choice(SURNAMES) + rng.choice(("经理", "主任", "总监")),
        "contact_phone": f"0564-{rng.randrange(2000000, 8999999)}", "created_at": created,
        "imported_at": None, "registered_at": created}
    if roster_only:
        row.update(employees=None, revenue_band=None, imported_at=created, registered_at=None)
    return row


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


def assign_others(company_ids: list[int], org_ids: list[int], rng: random.Random,
                  official_id: int | None, skip: set[int]) -> None:
    """About half the companies no story used (and not in ``skip``) go to the other organisations
    (bulk; the same rows `assignments.assign` writes: an Assignment, mirrored in
    Company.provider_org_id)."""
    taken = set(session.scalars(select(Company.id).where(Company.provider_org_id.is_not(None))))
    chosen: dict[int, list[int]] = {org_id: [] for org_id in org_ids}
    rows = []
    for company_id in company_ids:
        if company_id in taken or company_id in skip or rng.random() >= 0.5:
            continue
        org_id = rng.choice(org_ids)
        chosen[org_id].append(company_id)
        rows.append({"company_id": company_id, "provider_org_id": org_id, "assigned_by_id": official_id,
                     "assigned_at": utcnow() - timedelta(days=rng.uniform(1, 60))})
    for org_id, ids in chosen.items():
        for start in range(0, len(ids), CHUNK):
            session.execute(update(Company).where(Company.id.in_(ids[start:start + CHUNK]))
                            .values(provider_org_id=org_id))
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(Assignment), rows[start:start + CHUNK])


@dataclass
class Seeded:
    """What `seed_district` made."""

    company_ids: list[int] = field(default_factory=list)
    roster_only: set[int] = field(default_factory=set)
    submitted: int = 0
    drafts: int = 0
    #: The demo company account's company.
    first: Any = None
    #: Reviewed companies per work-list state.
    played: dict[str, int] = field(default_factory=dict)
    pipeline: PipelineSeeded | None = None
    #: Seconds per phase, in order.
    phases: dict[str, float] = field(default_factory=dict)


def add_companies(count: int, rng: random.Random, bundle, seeded: Seeded) -> list[Work]:
    """Insert ``count`` companies, CHUNK at a time: a third to submit, a third with a draft, one in
    twelve only listed in the roster; the assessments to make."""
    codes = set(session.scalars(select(Company.credit_code)))
    names = set(session.scalars(select(Company.name)))
    pools = industry_pools(bundle.industries)
    parks = current_app.config["PARKS"]
    work = []
    for start in range(0, count, CHUNK):
        indexes = range(start, min(count, start + CHUNK))
        rows = [make_company(rng, pools, parks, codes, names, roster_only=index % 12 == 11)
                for index in indexes]
        ids = session.scalars(insert(Company).returning(Company.id, sort_by_parameter_order=True),
                              rows).all()
        for index, company_id, row in zip(indexes, ids, rows, strict=True):
            seeded.company_ids.append(company_id)
            if row["registered_at"] is None:
                seeded.roster_only.add(company_id)
            elif index % 3 != 2:
                work.append(Work(company_id, Company(**row).profile, submitted=index % 3 == 0))
    seeded.submitted = sum(item.submitted for item in work)
    seeded.drafts = len(work) - seeded.submitted
    return work


def seed_district(count: int, rng: random.Random) -> Seeded:
    """The companies, their assessments (made and written by diagnosis/demo_assessments.py), the
    demo accounts, the reviews, the other assignments, the projects; each phase timed."""
    bundle = current_bundle()
    provider_ids = ensure_provider_orgs()
    seeded, clock = Seeded(), time.perf_counter()

    def lap(phase: str) -> None:
        nonlocal clock
        seeded.phases[phase] = time.perf_counter() - clock
        clock = time.perf_counter()

    work = add_companies(count, rng, bundle, seeded)
    lap("企业")
    batches = [(rng.getrandbits(64), work[start:start + BATCH]) for start in range(0, len(work), BATCH)]
    encode = session.connection().dialect.name == "postgresql"
    for made in made_batches(bundle, batches, encode):
        write_assessments(get_session(), bundle.active_instrument(), made)
    lap("自评诊断")
    head = list(session.scalars(select(Company).where(Company.id.in_(seeded.company_ids[:CHUNK]))
                                .order_by(Company.id)))
    seeded.first = head[0]
    create_accounts(seeded.first, provider_ids)
    official = user_by_email(get_session(), "official@demo.test")
    official_id = official.id if official is not None else None
    seeded.played = seed_reviews(get_session(), bundle, rng, head, provider_ids, official_id)
    lap("账号与现场诊断")
    assign_others(seeded.company_ids, provider_ids[1:], rng, official_id, seeded.roster_only)
    seeded.pipeline = seed_pipeline(get_session(), bundle, rng, seeded.company_ids, provider_ids, official_id)
    lap("分配与项目")
    return seeded


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
    seeded = seed_district(companies, random.Random(random_seed))
    committing = time.perf_counter()
    session.commit()
    if session.connection().dialect.name == "postgresql":
        # fresh statistics, so the dashboard's first queries are planned for the district as it is now
        session.execute(text("ANALYZE"))
        session.commit()
    seeded.phases["提交"] = time.perf_counter() - committing
    played = seeded.played
    click.echo(f"已生成 {companies} 家企业（{seeded.submitted} 份已提交诊断，{seeded.drafts} 份填写中，"
               f"{len(seeded.roster_only)} 家仅在名录中、尚未注册），"
               f"用时 {time.perf_counter() - started:.1f} 秒。演示企业：{seeded.first.name}")
    click.echo(f"服务商现场诊断流程中：{sum(played.values())} 家企业，"
               f"其中 {played.get('signed_off', 0) + played.get('confirmed', 0) + played.get('disputed', 0)}"
               " 份已签字确认。")
    if seeded.pipeline is not None:
        click.echo(seeded.pipeline.summary())
    click.echo("各阶段用时：" + "，".join(f"{phase} {seconds:.1f} 秒"
                                        for phase, seconds in seeded.phases.items()))
    print_accounts()
